import QueryLanguage

/// What `set NAME VALUE` changes, with defaults.
public struct Settings: Sendable, Equatable {
  public enum TimeZoneSetting: Sendable, Equatable {
    case local
    case utc
  }

  public enum ColorSetting: String, Sendable, Equatable {
    case auto, on, off
  }

  public var pageSize = 100
  public var concurrency = 8
  /// nil: the default for where output goes (table).
  public var format: String?
  /// Sent as `Lang` when set.
  public var lang: String?
  public var timeZone = TimeZoneSetting.local
  public var color = ColorSetting.auto

  public init() {}

  public static let names = ["pagesize", "concurrency", "format", "lang", "timezone", "color"]

  public static func values(for name: String) -> [String] {
    switch name.lowercased() {
    case "format": LanguageReference.formats
    case "lang": ["zh", "en"]
    case "timezone": ["local", "utc"]
    case "color": ["auto", "on", "off"]
    case "pagesize": ["100", "50", "20"]
    case "concurrency": ["8", "4", "1"]
    default: []
    }
  }

  /// Applies `set NAME VALUE`, or explains what is wrong with a span.
  public mutating func apply(name: Located<String>, value: Value) throws(Diagnostic) {
    let text = value.string
    func bad(_ message: String, help: String? = nil) -> Diagnostic {
      Diagnostic(message, at: value.span, help: help)
    }
    switch name.value.lowercased() {
    case "pagesize":
      guard let size = Int(text), (1...100).contains(size) else { throw bad("pagesize takes a number from 1 to 100") }
      pageSize = size
    case "concurrency":
      guard let count = Int(text), (1...32).contains(count) else {
        throw bad("concurrency takes a number from 1 to 32")
      }
      concurrency = count
    case "format":
      guard LanguageReference.formats.contains(text.lowercased()) else {
        throw bad(
          "unknown format '\(text)'",
          help: Suggestion.didYouMean(text, in: LanguageReference.formats)
            ?? "formats: " + LanguageReference.formats.joined(separator: ", "))
      }
      format = text.lowercased()
    case "lang":
      guard ["zh", "en"].contains(text.lowercased()) else { throw bad("lang is zh or en") }
      lang = text.lowercased()
    case "timezone":
      switch text.lowercased() {
      case "utc": timeZone = .utc
      case "local": timeZone = .local
      default: throw bad("timezone is local or utc")
      }
    case "color":
      guard let setting = ColorSetting(rawValue: text.lowercased()) else { throw bad("color is auto, on or off") }
      color = setting
    default:
      throw Diagnostic(
        "unknown setting '\(name.value)'", at: name.span,
        help: Suggestion.didYouMean(name.value, in: Self.names) ?? "settings: " + Self.names.joined(separator: ", "))
    }
  }

  /// `show settings`, one `name value` line each.
  public var lines: [String] {
    [
      "pagesize     \(pageSize)",
      "concurrency  \(concurrency)",
      "format       \(format ?? "table")",
      "lang         \(lang ?? "(server default)")",
      "timezone     \(timeZone == .utc ? "utc" : "local")",
      "color        \(color.rawValue)",
    ]
  }
}
