import ScanAPI

enum DurationParsing {
  static func parse(_ text: String) -> Duration? { DurationText.parse(text) }
}
