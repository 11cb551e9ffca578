/// Comparison operators.
public enum Operator: String, Sendable, Hashable, CaseIterable {
  case equal = "="
  case notEqual = "!="
  case less = "<"
  case lessOrEqual = "<="
  case greater = ">"
  case greaterOrEqual = ">="
  /// Contains, ignoring case.
  case contains = "~"
  case notContains = "!~"

  public var isNegated: Bool { self == .notEqual || self == .notContains }
}

public enum TokenKind: Sendable, Hashable {
  /// A bare word: a keyword, a field name or an unquoted value.
  case word(String)
  /// A quoted string, unescaped.
  case string(String)
  /// A number; its text is kept because a 19-digit ScanId must not pass through a Double.
  case number(Double)
  /// A duration such as `30s`, in milliseconds.
  case duration(Int64)
  case op(Operator)
  case pipe
  case comma
  case leftParen
  case rightParen
  /// A newline or `;` that ends a statement.
  case separator
  case end
}

public struct Token: Sendable, Hashable {
  public var kind: TokenKind
  public var span: Span
  /// The source text of the token.
  public var text: String

  public init(_ kind: TokenKind, _ span: Span, _ text: String) {
    self.kind = kind
    self.span = span
    self.text = text
  }

  /// True for a bare word equal to `keyword`, ignoring case.
  public func isWord(_ keyword: String) -> Bool {
    if case .word(let word) = kind { return word.lowercased() == keyword }
    return false
  }

  public var word: String? {
    if case .word(let word) = kind { return word }
    return nil
  }
}
