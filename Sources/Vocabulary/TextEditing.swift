/// Which characters `trimmed(_:)` drops from the ends: the three sets scansh uses, with the same
/// members as Foundation's `CharacterSet.whitespaces`, `.newlines` and `.whitespacesAndNewlines`.
///
/// Written here because `trimmingCharacters(in:)` is the older Foundation's, which links
/// CoreFoundation and ICU's 34 MB of data into the binary (docs/design.md, "The binary").
public enum Trimmed: Sendable {
  /// Spaces (Unicode's space separators) and tabs.
  case blanks
  /// Line feed, vertical tab, form feed, carriage return, next line, line and paragraph separators.
  case newlines
  /// Both.
  case whitespace

  func contains(_ scalar: Unicode.Scalar) -> Bool {
    switch self {
    case .blanks: Self.isBlank(scalar)
    case .newlines: Self.isNewline(scalar)
    case .whitespace: Self.isBlank(scalar) || Self.isNewline(scalar)
    }
  }

  static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
  }

  static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
    default: false
    }
  }
}

extension StringProtocol {
  /// The text without the characters of `set` at either end.
  public func trimmed(_ set: Trimmed = .whitespace) -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !set.contains($0) }) else { return "" }
    let last = scalars.lastIndex(where: { !set.contains($0) })!
    return String(String.UnicodeScalarView(scalars[first...last]))
  }
}

extension StringProtocol {
  /// Every `target` replaced by `replacement`, matched scalar by scalar as Foundation's
  /// `replacingOccurrences(of:with:)` matches: `"\n"` is found inside `"\r\n"` (one Character) and
  /// a quote followed by a combining mark is still a quote, which `replacing(_:with:)` on
  /// Characters would miss.
  public func replacingScalars(_ target: String, with replacement: String) -> String {
    var scalars = String.UnicodeScalarView(unicodeScalars)
    scalars.replace(target.unicodeScalars, with: replacement.unicodeScalars)
    return String(scalars)
  }
}
