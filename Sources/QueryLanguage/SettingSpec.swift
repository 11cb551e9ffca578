/// A setting of `set NAME VALUE`, with what it accepts. The command line's `--page-size`,
/// `--concurrency` and `--format` check their values against the same entries.
public struct SettingSpec: Sendable, Hashable {
  public enum Name: String, Sendable, Hashable, CaseIterable {
    case pagesize, concurrency, format, lang, timezone, color
  }

  public enum Domain: Sendable, Hashable {
    /// A whole number in this range; `suggested` are what completion offers.
    case integer(ClosedRange<Int>, suggested: [Int])
    /// One of these words, compared ignoring case.
    case choice([String])
  }

  public var name: Name
  public var domain: Domain
  /// Shown by `show settings` before anything is set.
  public var defaultValue: String
  public var summary: String

  /// The values completion offers.
  public var suggestions: [String] {
    switch domain {
    case .integer(_, let suggested): suggested.map(String.init)
    case .choice(let words): words
    }
  }

  /// `a number from 1 to 100`, `zh or en`, `auto, on or off`.
  public var accepted: String {
    switch domain {
    case .integer(let range, _): "a number from \(range.lowerBound) to \(range.upperBound)"
    case .choice(let words): LanguageReference.list(words)
    }
  }

  /// The value, normalized (lowercased words), or nil when the domain does not hold it.
  public func validate(_ text: String) -> String? {
    switch domain {
    case .integer(let range, _):
      guard let number = Int(text), range.contains(number) else { return nil }
      return String(number)
    case .choice(let words):
      let lowered = text.lowercased()
      return words.contains(lowered) ? lowered : nil
    }
  }

  /// The message for a value outside the domain, as `set` and the command line print it.
  public func rejection(of text: String, as flag: String? = nil) -> (message: String, help: String?) {
    switch domain {
    case .integer:
      return ("\(flag ?? name.rawValue) takes \(accepted)", nil)
    case .choice(let words) where name == .format:
      return (
        "unknown format '\(text)'",
        Suggestion.didYouMean(text, in: words) ?? "formats: " + words.joined(separator: ", ")
      )
    case .choice:
      return ("\(flag ?? name.rawValue) is \(accepted)", nil)
    }
  }
}
