/// A problem in what the user wrote, at a place. Line and column come from the span when rendered.
public struct Diagnostic: Error, Sendable, Hashable {
  public var message: String
  public var span: Span
  public var help: String?
  /// The statement could be completed by typing more (an unclosed quote or parenthesis, a trailing
  /// `|`): the REPL shows a continuation prompt instead of the error.
  public var isIncomplete: Bool

  public init(_ message: String, at span: Span, help: String? = nil, isIncomplete: Bool = false) {
    self.message = message
    self.span = span
    self.help = help
    self.isIncomplete = isIncomplete
  }
}

/// Several diagnostics from one source, in source order: the error the language layer throws
/// (the parser, the binder, `set` and `help` all report through it).
public struct Diagnostics: Error, Sendable, Equatable {
  public var source: SourceText
  public var items: [Diagnostic]

  public init(source: SourceText, items: [Diagnostic]) {
    self.source = source
    self.items = items.sorted { $0.span.start < $1.span.start }
  }

  public var isIncomplete: Bool { items.contains { $0.isIncomplete } }
}
