/// A setting of `set NAME VALUE`, with what it accepts. The command line's `--page-size`,
/// `--concurrency` and `--format` check their values against the same entries.
public struct SettingSpec: Sendable, Hashable {
  public enum Name: String, Sendable, Hashable, CaseIterable {
    case pagesize, concurrency, format, lang, timezone, color, sourceip, pager, notify, exectimeout
  }

  public enum Domain: Sendable, Hashable {
    /// A whole number in this range; `suggested` are what completion offers.
    case integer(ClosedRange<Int>, suggested: [Int])
    /// One of these words, compared ignoring case.
    case choice([String])
    /// An IPv4 or IPv6 address, or `off`.
    case address
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
    case .address: ["off"]
    }
  }

  /// `a number from 1 to 100`, `zh or en`, `auto, on or off`.
  public var accepted: String {
    switch domain {
    case .integer(let range, _): "a number from \(range.lowerBound) to \(range.upperBound)"
    case .choice(let words): LanguageReference.list(words)
    case .address: "an IPv4 or IPv6 address, or off"
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
    case .address:
      if text.lowercased() == "off" { return "off" }
      return Self.isAddress(text) ? text.lowercased() : nil
    }
  }

  /// The message for a value outside the domain, as `set` and the command line print it.
  public func rejection(of text: String, as flag: String? = nil) -> (message: String, help: String?) {
    switch domain {
    case .integer, .address:
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

  /// Dotted IPv4 (`203.0.113.9`) or IPv6 (`2001:db8::1`), checked by form, not looked up.
  static func isAddress(_ text: String) -> Bool {
    let quads = text.split(separator: ".", omittingEmptySubsequences: false)
    if quads.count == 4 {
      return quads.allSatisfy { quad in
        !quad.isEmpty && quad.count <= 3 && quad.allSatisfy(\.isASCIIDigit) && Int(quad)! <= 255
      }
    }
    let groups = text.split(separator: ":", omittingEmptySubsequences: false)
    guard (3...8).contains(groups.count), text.split(separator: "::", omittingEmptySubsequences: false).count <= 2
    else {
      return false
    }
    let empty = groups.filter(\.isEmpty).count
    guard empty > 0 || groups.count == 8 else { return false }
    return groups.allSatisfy { $0.count <= 4 && $0.allSatisfy(\.isHexDigit) }
  }
}
