/// A range of UTF-8 bytes in a source text. Set once in the lexer; line and column are computed
/// only when a diagnostic is rendered.
public struct Span: Sendable, Hashable, CustomStringConvertible {
  public var start: Int
  public var end: Int

  public init(_ start: Int, _ end: Int) {
    self.start = start
    self.end = max(start, end)
  }

  public static let empty = Span(0, 0)

  /// The smallest span covering both.
  public func to(_ other: Span) -> Span { Span(min(start, other.start), max(end, other.end)) }

  public var length: Int { end - start }

  public var description: String { "\(start)..<\(end)" }
}

/// A value with the span it was written at.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
  public var value: Value
  public var span: Span

  public init(_ value: Value, _ span: Span) {
    self.value = value
    self.span = span
  }
}
