/// A script parameter's value and where it came from (`--var days=7d`, a default, the shell's
/// `param`), for messages and `show params`.
public struct ParameterValue: Sendable, Hashable {
  public var text: String
  public var origin: String

  public init(_ text: String, origin: String) {
    self.text = text
    self.origin = origin
  }
}

/// What a parse may substitute for `$name`: values given on the command line (`--var`), which a
/// script must declare with `param`, and values defined in the shell, which need no declaration.
public struct ParameterScope: Sendable {
  public var given: [String: ParameterValue]
  public var defined: [String: ParameterValue]
  /// A `--var` the script does not declare is an error (off for the shell's entries).
  public var checksGiven: Bool

  public init(given: [String: ParameterValue] = [:], defined: [String: ParameterValue] = [:], checksGiven: Bool = true)
  {
    self.given = given
    self.defined = defined
    self.checksGiven = checksGiven
  }
}

/// `param` declarations found in a script and `$name` replaced by values, before parsing: a
/// parameter is a value, never code, so `$env` with `x or 1=1` is the text `x or 1=1`.
struct ParameterSubstitution {
  /// A replaced `$name`: its span, and what stood there, for messages.
  struct Use {
    var span: Span
    var name: String
    var value: ParameterValue
  }

  var tokens: [Token]
  var diagnostics: [Diagnostic] = []
  var uses: [Use] = []
  /// Every parameter in force after the declarations, with its value.
  var values: [String: ParameterValue] = [:]
  /// Where a `$name` could not be replaced: already reported, so the grammar's complaint about
  /// the same place is not.
  var unresolved: [Span] = []

  init(_ tokens: [Token], source: SourceText, scope: ParameterScope) {
    self.tokens = tokens
    var declared: [String: Span] = [:]
    var missing = Set<String>()
    var seenStatement = false
    var index = 0
    while index < tokens.count {
      let statementStart = index == 0 || tokens[index - 1].kind == .separator
      if statementStart, tokens[index].isWord("param") {
        if seenStatement, scope.checksGiven {
          diagnostics.append(
            Diagnostic(
              "parameters are declared at the top of a script, before its first statement", at: tokens[index].span))
        }
        if let name = tokens[index + 1].word {
          declared[name] = tokens[index + 1].span
          var value: ParameterValue?
          if case .op(.equal) = tokens[index + 2].kind, index + 3 < tokens.count {
            let token = tokens[index + 3]
            let text: String? =
              switch token.kind {
              case .word(let word): word
              case .string(let text): text
              case .number, .duration: token.text
              default: nil
              }
            if let text {
              value = ParameterValue(text, origin: "its default, line \(source.location(of: token.span.start).line)")
            }
          }
          if let given = scope.given[name] {
            values[name] = given
          } else if let value {
            values[name] = value
          } else if let defined = scope.defined[name] {
            values[name] = defined
          } else if scope.checksGiven {
            missing.insert(name)
            diagnostics.append(
              Diagnostic(
                "parameter '\(name)' needs a value", at: tokens[index + 1].span,
                help: "give it one: --var \(name)=VALUE"))
          }
        }
      } else if statementStart, tokens[index].kind != .end, tokens[index].kind != .separator {
        seenStatement = true
      }
      index += 1
    }
    for (name, value) in scope.defined where values[name] == nil { values[name] = value }
    if scope.checksGiven {
      for name in scope.given.keys.sorted() where declared[name] == nil {
        diagnostics.append(
          Diagnostic(
            "--var \(name) is not a parameter of \(source.name ?? "these statements")", at: Span(0, 0),
            help: Suggestion.didYouMean(name, in: Array(declared.keys))
              ?? (declared.isEmpty
                ? "declare it at the top: param \(name) = VALUE"
                : "its parameters: " + declared.keys.sorted().joined(separator: ", "))))
      }
    }
    for position in self.tokens.indices {
      guard let word = self.tokens[position].word, word.hasPrefix("$"), word.count > 1 else { continue }
      let name = String(word.dropFirst())
      let span = self.tokens[position].span
      guard let value = values[name] else {
        unresolved.append(span)
        if missing.contains(name) { continue }
        diagnostics.append(
          Diagnostic(
            "unknown parameter '\(word)'", at: span,
            help: Suggestion.closest(to: name, in: Array(values.keys)).map { "did you mean '$\($0)'?" }
              ?? "declare it at the top of the script: param \(name) = VALUE"))
        continue
      }
      self.tokens[position].kind = Self.kind(of: value.text)
      uses.append(Use(span: span, name: name, value: value))
    }
  }

  /// A number or a duration stays one; anything else is text, as if quoted.
  static func kind(of text: String) -> TokenKind {
    let lexed = Lexer.tokenize(SourceText(text)).tokens
    if lexed.count == 2 {
      switch lexed[0].kind {
      case .number, .duration: return lexed[0].kind
      default: break
      }
    }
    return .string(text)
  }

  /// A diagnostic of the grammar at a `$name` reported already.
  func isReported(_ diagnostic: Diagnostic) -> Bool {
    unresolved.contains { $0.start <= diagnostic.span.start && diagnostic.span.end <= $0.end }
  }

  /// A diagnostic at a replaced `$name` says what it stood for and where that came from.
  func explain(_ diagnostic: Diagnostic) -> Diagnostic {
    guard let use = uses.first(where: { $0.span.start <= diagnostic.span.start && diagnostic.span.end <= $0.span.end })
    else { return diagnostic }
    var diagnostic = diagnostic
    let note = "$\(use.name) is '\(use.value.text)' (from \(use.value.origin))"
    diagnostic.help = diagnostic.help.map { $0 + "; " + note } ?? note
    return diagnostic
  }
}
