import Vocabulary

/// A hand-written recursive-descent parser for the scansh language. It recovers at stage and
/// statement boundaries, so a script reports all its errors at once.
public struct Parser {
  /// Parentheses and `not`s nest at most this deep; deeper input gets an error, not a stack overflow.
  public static let maxDepth = 128

  private let source: SourceText
  private let tokens: [Token]
  private var index = 0
  private var depth = 0
  private var diagnostics: [Diagnostic]
  /// What would be accepted where the input ends, in the order the grammar tries it.
  private var expectations: [Expectation] = []

  /// Parses a whole script (or one REPL entry). Statements with errors are left out of the script.
  public static func parse(_ source: SourceText) -> (script: Script, diagnostics: Diagnostics?) {
    let parsed = parse(source, parameters: ParameterScope(checksGiven: false))
    return (parsed.script, parsed.diagnostics)
  }

  /// A diagnostic found after parsing (by the binder), at a `$name`, saying what the name stood
  /// for and where its value came from, as the parser's own say.
  public static func explain(_ diagnostic: Diagnostic, in source: SourceText, parameters scope: ParameterScope)
    -> Diagnostic
  {
    ParameterSubstitution(Lexer.tokenize(source).tokens, source: source, scope: scope).explain(diagnostic)
  }

  /// Parses with parameters: `param` declarations, `--var` values and `$name` replaced by values
  /// before the grammar sees them; also the parameters in force, for `show params`.
  public static func parse(_ source: SourceText, parameters scope: ParameterScope) -> (
    script: Script, diagnostics: Diagnostics?, parameters: [String: ParameterValue]
  ) {
    let (tokens, lexical) = Lexer.tokenize(source)
    let substitution = ParameterSubstitution(tokens, source: source, scope: scope)
    var parser = Parser(source: source, tokens: substitution.tokens, diagnostics: lexical)
    var script = parser.parseScript()
    // A statement with a `$name` that has no value was reported; it is not bound or run.
    script.statements.removeAll { statement in
      substitution.unresolved.contains { statement.span.start <= $0.start && $0.end <= statement.span.end }
    }
    let diagnostics =
      (substitution.diagnostics + parser.diagnostics.filter { !substitution.isReported($0) }.map(substitution.explain))
      .sorted {
        $0.span.start < $1.span.start
      }
    return (
      script, diagnostics.isEmpty ? nil : Diagnostics(source: source, items: diagnostics), substitution.values
    )
  }

  /// What the parser would accept where `text` ends: completion asks this at the cursor.
  public static func expectations(after text: String) -> [Expectation] {
    let source = SourceText(text)
    let (tokens, lexical) = Lexer.tokenize(source)
    var parser = Parser(source: source, tokens: tokens, diagnostics: lexical)
    _ = parser.parseScript()
    return parser.expectations
  }

  private init(source: SourceText, tokens: [Token], diagnostics: [Diagnostic]) {
    self.source = source
    self.tokens = tokens
    self.diagnostics = diagnostics
  }

  // MARK: Cursor

  private var current: Token { tokens[index] }
  private var previous: Token { tokens[max(0, index - 1)] }

  private var atStatementEnd: Bool {
    current.kind == .separator || current.kind == .end
  }

  private mutating func advance() -> Token {
    let token = tokens[index]
    if index < tokens.count - 1 { index += 1 }
    return token
  }

  /// Records that `expectation` would be accepted here, when "here" is the end of the input.
  private mutating func note(_ expectation: Expectation) {
    guard current.kind == .end, !expectations.contains(expectation) else { return }
    expectations.append(expectation)
  }

  /// Whether the current token is `keyword`; noted as expected at the end of the input.
  private mutating func at(_ keyword: Keyword) -> Bool {
    note(.keyword(keyword))
    return current.isWord(keyword.rawValue)
  }

  private mutating func skipToStatementEnd() {
    while !atStatementEnd { _ = advance() }
  }

  private func describe(_ token: Token) -> String {
    switch token.kind {
    case .end: "the end of the input"
    case .separator: token.text == ";" ? "';'" : "the end of the line"
    default: "'\(token.text)'"
    }
  }

  /// An error at the current token; at the very end of the input it is marked incomplete when the
  /// statement could be finished by typing more.
  private func unexpected(_ expected: String, help: String? = nil, incompleteAtEnd: Bool = false) -> Diagnostic {
    let token = current
    let span =
      token.kind == .end || token.kind == .separator ? Span(previous.span.end, previous.span.end + 1) : token.span
    return Diagnostic(
      "expected \(expected), found \(describe(token))", at: span, help: help,
      isIncomplete: incompleteAtEnd && token.kind == .end)
  }

  // MARK: Statements

  private mutating func parseScript() -> Script {
    var statements: [Statement] = []
    note(.statement)
    while current.kind != .end {
      if current.kind == .separator {
        _ = advance()
        note(.statement)
        continue
      }
      let before = diagnostics.count
      // Typed throws: every way a statement fails is a diagnostic, so none is dropped unsaid.
      do throws(Diagnostic) {
        let statement = try parseStatement()
        if diagnostics.count == before { statements.append(statement) }
      } catch {
        diagnostics.append(error)
        skipToStatementEnd()
      }
    }
    return Script(statements: statements)
  }

  private mutating func parseStatement() throws(Diagnostic) -> Statement {
    let start = current.span
    guard let word = current.word else {
      throw Diagnostic(
        "expected a statement, found \(describe(current))", at: current.span,
        help: "statements start with 'scans', 'load' or a command; 'help' lists them")
    }
    guard let entry = LanguageReference.entry(named: word), entry.kind != .stage else {
      if LanguageReference.entry(named: word)?.kind == .stage {
        throw Diagnostic(
          "'\(current.text)' is a stage; a pipeline starts with 'scans' or 'load'", at: current.span,
          help:
            "try: scans | \(source.slice(current.span.to(tokens[statementEndIndex()].span)).trimmingTrailingWhitespace())"
        )
      }
      throw Diagnostic(
        "unknown command '\(current.text)'", at: current.span,
        help: Suggestion.didYouMean(word, in: LanguageReference.statementWords)
          ?? "statements start with 'scans', 'load' or a command; 'help' lists them")
    }
    let kind: Statement.Kind
    switch entry.name {
    case .scans, .sessions, .findings, .load:
      kind = .pipeline(try parsePipeline())
    case .help:
      _ = advance()
      var topic: Located<String>?
      note(.helpTopic)
      if let word = current.word {
        topic = Located(word, advance().span)
      }
      kind = .command(.help(topic: topic))
    case .set:
      _ = advance()
      note(.setting)
      guard let name = current.word else {
        throw unexpected(
          "a setting name", help: "settings: " + LanguageReference.settingNames.joined(separator: ", "))
      }
      let nameSpan = advance().span
      let value = try parseValue(after: "'\(name)'", expecting: .settingValue(name))
      kind = .command(.set(name: Located(name, nameSpan), value: value))
    case .show:
      _ = advance()
      note(.showTopic)
      let topics = LanguageReference.showTopics
      let usage = LanguageReference.list(topics.map { "show \($0)" })
      guard let topic = current.word else { throw unexpected("what to show", help: usage) }
      guard let shown = LanguageReference.ShowTopic(rawValue: topic.lowercased()) else {
        throw Diagnostic(
          "cannot show '\(topic)'", at: current.span, help: Suggestion.didYouMean(topic, in: topics) ?? usage)
      }
      kind = .command(.show(Located(shown, advance().span)))
    case .explain:
      _ = advance()
      note(.source)
      guard let word = current.word, LanguageReference.entry(named: word)?.kind == .source else {
        throw unexpected("a pipeline to explain", help: "for example: explain scans where status = running | count")
      }
      kind = .command(.explain(try parsePipeline()))
    case .history:
      _ = advance()
      kind = .command(.history)
    case .source:
      _ = advance()
      kind = .command(.source(try parsePath(after: "source")))
    case .use:
      _ = advance()
      var names: [Located<String>] = []
      repeat {
        if !names.isEmpty { _ = advance() }
        note(.account)
        guard let name = current.word ?? { if case .string(let text) = current.kind { text } else { nil } }() else {
          throw unexpected("an account (a profile's name) or all after '\(names.isEmpty ? "use" : ",")'")
        }
        names.append(Located(name, advance().span))
      } while current.kind == .comma
      kind = .command(.use(names))
    case .exit:
      _ = advance()
      kind = .command(.exit)
    case .param:
      _ = advance()
      guard let name = current.word else { throw unexpected("a parameter name after 'param'") }
      let nameSpan = advance().span
      var value: Value?
      if case .op(.equal) = current.kind {
        _ = advance()
        value = try parseValue(after: "'='", expecting: .searchText)
      }
      kind = .command(.param(name: Located(name, nameSpan), value: value))
    case .report:
      _ = advance()
      var taskIds: [Located<String>] = []
      while case .number = current.kind {
        let text = current.text
        guard text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else {
          throw Diagnostic("a TaskId is a whole number, such as 1234567890123", at: current.span)
        }
        taskIds.append(Located(text, advance().span))
        guard current.kind == .comma else { break }
        _ = advance()
      }
      guard !taskIds.isEmpty else {
        throw unexpected(
          "a run's TaskId after 'report'",
          help: "for example: report 1234567890123 to reports, or: sessions where … | report to reports")
      }
      kind = .command(.report(taskIds: taskIds, spec: try parseReportSpec()))
    case .where, .sort, .select, .first, .count, .group, .distinct, .diff, .expect, .watch, .format, .save, .details,
      .exec, .post, .notify:
      preconditionFailure("stages are turned away above")
    }
    if !atStatementEnd {
      let token = current
      throw Diagnostic(
        "unexpected \(describe(token))", at: token.span,
        help: token.kind == .rightParen ? "this ')' has no matching '('" : "stages are separated by '|'")
    }
    return Statement(kind, span: start.to(previous.span))
  }

  private func statementEndIndex() -> Int {
    var end = index
    while tokens[end].kind != .separator, tokens[end].kind != .end { end += 1 }
    return max(index, end - 1)
  }

  // MARK: Pipelines

  private mutating func parsePipeline() throws(Diagnostic) -> Pipeline {
    let sourceToken = advance()
    let pipelineSource: Source
    if LanguageReference.entry(named: sourceToken.text)?.name == .load {
      let path = try parsePath(after: "load")
      pipelineSource = .load(path: path, span: sourceToken.span.to(path.span))
      note(.pipe)
    } else {
      let listing = ListingName(rawValue: LanguageReference.entry(named: sourceToken.text)!.name.rawValue)!
      var search: Located<String>?
      var filter: Condition?
      if at(.search) {
        _ = advance()
        let value = try parseValue(after: "'search'", expecting: .searchText)
        search = Located(value.string, value.span)
      }
      if at(.where) {
        _ = advance()
        filter = try parseCondition(after: "'where'")
      }
      note(.pipe)
      if !atStatementEnd, current.kind != .pipe {
        throw Diagnostic(
          "expected '|', 'search' or 'where' after '\(listing.rawValue)', found \(describe(current))",
          at: current.span, help: current.word.map { _ in "filter with: \(listing.rawValue) where \(current.text) …" })
      }
      pipelineSource = .listing(
        listing, search: search, filter: filter, span: sourceToken.span.to(previous.span))
    }
    var stages: [Stage] = []
    while current.kind == .pipe {
      _ = advance()
      do throws(Diagnostic) {
        stages.append(try parseStage())
        note(.pipe)
        if !atStatementEnd, current.kind != .pipe {
          throw Diagnostic(
            "unexpected \(describe(current))", at: current.span,
            help: current.kind == .rightParen ? "this ')' has no matching '('" : "stages are separated by '|'")
        }
      } catch {
        // Recover at the next stage, so one statement can report several errors.
        diagnostics.append(error)
        while !atStatementEnd, current.kind != .pipe { _ = advance() }
      }
    }
    return Pipeline(source: pipelineSource, stages: stages, span: sourceToken.span.to(previous.span))
  }

  private mutating func parseStage() throws(Diagnostic) -> Stage {
    note(.stage)
    guard let word = current.word else {
      throw Diagnostic(
        "expected a stage after '|', found \(describe(current))",
        at: current.kind == .end || current.kind == .separator ? previous.span : current.span,
        help: "stages: " + LanguageReference.names(of: .stage).joined(separator: ", "),
        isIncomplete: current.kind == .end)
    }
    let nameToken = advance()
    let name = Located(word, nameToken.span)
    guard let entry = LanguageReference.entry(named: word), entry.kind == .stage || entry.followsPipe else {
      let message =
        LanguageReference.entry(named: word)?.kind == .source
        ? "'\(word)' starts a pipeline; it cannot follow '|'" : "unknown stage '\(word)'"
      throw Diagnostic(
        message, at: nameToken.span,
        help: Suggestion.didYouMean(word, in: LanguageReference.names(of: .stage))
          ?? "stages: " + LanguageReference.names(of: .stage).joined(separator: ", "))
    }
    let kind: Stage.Kind
    switch entry.name {
    case .where:
      kind = .filter(try parseCondition(after: "'where'"))
    case .sort:
      var keys: [SortKey] = []
      repeat {
        if !keys.isEmpty { _ = advance() }
        let field = try parseField(after: keys.isEmpty ? "'sort'" : "','")
        var descending = false
        if at(.asc) || at(.desc) {
          descending = advance().isWord(Keyword.desc.rawValue)
        }
        keys.append(SortKey(field: field, descending: descending))
      } while current.kind == .comma
      kind = .sort(keys)
    case .select:
      note(.allFields)
      if current.isWord("*") {
        _ = advance()
        kind = .selectAll
      } else {
        kind = .select(try parseFields(after: "'select'"))
      }
    case .first:
      kind = .first(try parseCount(after: "'\(word)'"))
    case .count:
      kind = .count
    case .group:
      kind = .group(try parseGroup())
    case .distinct:
      kind = .distinct(try parseFields(after: "'distinct'"))
    case .diff:
      let path = try parsePath(after: "diff")
      var fields: [FieldName] = []
      if at(.by) {
        _ = advance()
        fields = try parseFields(after: "'by'")
      }
      kind = .diff(path, by: fields)
    case .expect:
      kind = .expect(try parseCheck(after: "'expect'", bareExpression: false))
    case .watch:
      guard case .duration(let interval) = current.kind else {
        throw unexpected("an interval such as 30s after 'watch'")
      }
      let intervalSpan = advance().span
      var until: Check?
      var limit: Located<Int64>?
      if at(.until) {
        _ = advance()
        until = try parseCheck(after: "'until'", bareExpression: true)
      }
      if at(.for) {
        _ = advance()
        guard case .duration(let milliseconds) = current.kind else {
          throw unexpected("a duration such as 10m after 'for'")
        }
        limit = Located(milliseconds, advance().span)
      }
      kind = .watch(WatchSpec(interval: Located(interval, intervalSpan), until: until, limit: limit))
    case .format:
      note(.format)
      guard let format = current.word else {
        throw unexpected(
          "a format after 'format'", help: "formats: " + LanguageReference.formats.joined(separator: ", "))
      }
      guard let known = OutputFormat(rawValue: format.lowercased()) else {
        throw Diagnostic(
          "unknown format '\(format)'", at: current.span,
          help: Suggestion.didYouMean(format, in: LanguageReference.formats)
            ?? "formats: " + LanguageReference.formats.joined(separator: ", "))
      }
      kind = .format(Located(known, advance().span))
    case .save:
      kind = .save(try parsePath(after: "save"))
    case .sessions, .findings:
      kind = .related(ListingName(rawValue: entry.name.rawValue)!)
    case .details:
      kind = .details
    case .report:
      kind = .report(try parseReportSpec())
    case .exec:
      var words: [Located<String>] = []
      while !atStatementEnd, current.kind != .pipe {
        let token = advance()
        switch token.kind {
        case .string(let text): words.append(Located(text, token.span))
        default: words.append(Located(token.text, token.span))
        }
      }
      guard !words.isEmpty else {
        throw unexpected("a program after 'exec'", help: "for example: exec ./on-change.sh --quiet")
      }
      kind = .exec(words)
    case .post:
      var service: Located<String>?
      if let word = current.word, Self.webhookServices.contains(word.lowercased()) {
        service = Located(word.lowercased(), advance().span)
      }
      guard case .string(let url) = current.kind else {
        if current.word != nil || current.kind != .end {
          throw unexpected(
            "a quoted URL after 'post'",
            help: "quote it, or pass it as a parameter: param hook, then post $hook with --var hook=URL")
        }
        throw unexpected(
          "a webhook URL after 'post'",
          help: "post URL, or post " + Self.webhookServices.joined(separator: "|") + " URL; pass it as --var hook=URL")
      }
      kind = .post(service: service, url: Located(url, advance().span))
    case .notify:
      kind = .notify
    case .scans, .load, .help, .set, .show, .explain, .history, .source, .use, .exit, .param:
      preconditionFailure("only stages get here")
    }
    return Stage(kind, span: nameToken.span.to(previous.span), name: name)
  }

  /// `FIELD [, FIELD]…`
  private mutating func parseFields(after what: String) throws(Diagnostic) -> [FieldName] {
    var fields: [FieldName] = []
    repeat {
      if !fields.isEmpty { _ = advance() }
      fields.append(try parseField(after: fields.isEmpty ? what : "','"))
    } while current.kind == .comma
    return fields
  }

  /// `group KEY, … [by INTERVAL|hour|day|week|month] [with AGG FIELD, …]`
  private mutating func parseGroup() throws(Diagnostic) -> GroupSpec {
    var spec = GroupSpec(keys: try parseFields(after: "'group'"))
    if at(.by) {
      _ = advance()
      note(.calendarUnit)
      let units = CalendarUnit.allCases.map(\.rawValue)
      if case .duration(let milliseconds) = current.kind {
        guard milliseconds >= 1000 else {
          throw Diagnostic("a bucket must be at least 1s long", at: current.span)
        }
        spec.bucket = Located(.every(milliseconds), advance().span)
      } else if let word = current.word, let unit = CalendarUnit(rawValue: word.lowercased()) {
        spec.bucket = Located(.calendar(unit), advance().span)
      } else {
        let help = current.word.flatMap { Suggestion.didYouMean($0, in: units) } ?? "for example: group start by day"
        throw unexpected("an interval such as 1d, or \(LanguageReference.list(units)), after 'by'", help: help)
      }
    }
    if at(.with) {
      _ = advance()
      let functions = AggregateFunction.allCases.map(\.rawValue)
      repeat {
        if !spec.aggregates.isEmpty { _ = advance() }
        note(.aggregate)
        guard let word = current.word, let function = AggregateFunction(rawValue: word.lowercased()) else {
          let help =
            current.word.flatMap { Suggestion.didYouMean($0, in: functions) } ?? "for example: with avg RunPercent"
          throw unexpected(
            "\(LanguageReference.list(functions)) after '\(spec.aggregates.isEmpty ? "with" : ",")'", help: help)
        }
        let name = Located(function, advance().span)
        spec.aggregates.append(Aggregate(function: name, field: try parseField(after: "'\(function.rawValue)'")))
      } while current.kind == .comma
    }
    return spec
  }

  private mutating func parseField(after what: String) throws(Diagnostic) -> FieldName {
    note(.field)
    guard let word = current.word else {
      throw unexpected("a field name after \(what)", help: "'show fields' lists them")
    }
    return FieldName(word, advance().span)
  }

  private mutating func parseCount(after what: String) throws(Diagnostic) -> Located<Int> {
    guard case .number(let number) = current.kind, number >= 0, number.rounded() == number, number < 1e12 else {
      throw unexpected("a whole number after \(what)")
    }
    return Located(Int(number), advance().span)
  }

  /// The chat services `post` knows the body of (else it posts the event as JSON).
  public static let webhookServices = ["dingtalk", "slack", "feishu", "wecom"]

  /// `to DIR [for DURATION]`, after `report`.
  private mutating func parseReportSpec() throws(Diagnostic) -> ReportSpec {
    note(.keyword(.to))
    guard at(.to) else { throw unexpected("'to DIR' after 'report'", help: "for example: report to reports") }
    _ = advance()
    let directory = try parsePath(after: "to")
    var limit: Located<Int64>?
    note(.keyword(.for))
    if at(.for) {
      _ = advance()
      guard case .duration(let milliseconds) = current.kind else {
        throw unexpected("a duration such as 10m after 'for'")
      }
      limit = Located(milliseconds, advance().span)
    }
    return ReportSpec(directory: directory, limit: limit)
  }

  private mutating func parsePath(after what: String) throws(Diagnostic) -> Located<String> {
    switch current.kind {
    case .word(let text), .string(let text):
      return Located(text, advance().span)
    default:
      throw unexpected("a file path after '\(what)'")
    }
  }

  private mutating func parseCheck(after what: String, bareExpression: Bool) throws(Diagnostic) -> Check {
    let start = current.span
    var form: CheckForm?
    for candidate in CheckForm.allCases where at(candidate.keyword) {
      form = candidate
      break
    }
    switch form {
    case .some(.empty):
      _ = advance()
      return .empty(start)
    case .some(.count):
      _ = advance()
      guard case .op(let op) = current.kind, op != .contains, op != .notContains else {
        throw unexpected("a comparison after 'count', such as count > 0")
      }
      let opSpan = advance().span
      let number = try parseCount(after: "'count \(op.rawValue)'")
      return .count(Located(op, opSpan), number, start.to(number.span))
    case .some(.all), .some(.any), .some(.none):
      let word = advance().text.lowercased()
      let expression = try parseCondition(after: "'\(word)'")
      let span = start.to(expression.span)
      return form == .all ? .all(expression, span) : form == .any ? .any(expression, span) : .none(expression, span)
    case nil:
      break
    }
    if bareExpression {
      let expression = try parseCondition(after: what)
      return .all(expression, expression.span)
    }
    let words = CheckForm.allCases.map(\.rawValue)
    let help: String
    if let word = current.word, let guess = Suggestion.closest(to: word, in: words) {
      help = "did you mean '\(guess)'?"
    } else {
      help = "for example: expect empty, expect count > 0, expect all status = finished"
    }
    throw unexpected("\(LanguageReference.list(words)) after \(what)", help: help)
  }

  // MARK: Expressions

  private mutating func parseCondition(after what: String) throws(Diagnostic) -> Condition {
    note(.field)
    note(.keyword(.not))
    if atStatementEnd || current.kind == .pipe {
      throw unexpected("a condition after \(what)", help: "for example: status = running")
    }
    return try parseOr()
  }

  private mutating func parseOr() throws(Diagnostic) -> Condition {
    var terms = [try parseAnd()]
    while at(.or) {
      _ = advance()
      terms.append(try parseAnd())
    }
    return terms.count == 1 ? terms[0] : .or(terms, terms[0].span.to(terms[terms.count - 1].span))
  }

  private mutating func parseAnd() throws(Diagnostic) -> Condition {
    var terms = [try parseUnary()]
    while at(.and) {
      _ = advance()
      terms.append(try parseUnary())
    }
    return terms.count == 1 ? terms[0] : .and(terms, terms[0].span.to(terms[terms.count - 1].span))
  }

  private mutating func nest<T>(_ body: (inout Parser) throws(Diagnostic) -> T) throws(Diagnostic) -> T {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maxDepth else {
      throw Diagnostic("the condition is nested more than \(Self.maxDepth) levels deep", at: current.span)
    }
    return try body(&self)
  }

  private mutating func parseUnary() throws(Diagnostic) -> Condition {
    let start = current.span
    note(.field)
    if at(.not) {
      _ = advance()
      return try nest { (parser: inout Parser) throws(Diagnostic) in
        let inner = try parser.parseUnary()
        return .not(inner, start.to(inner.span))
      }
    }
    if current.kind == .leftParen {
      _ = advance()
      return try nest { (parser: inout Parser) throws(Diagnostic) in
        let inner = try parser.parseOr()
        guard parser.current.kind == .rightParen else {
          if parser.current.kind == .end {
            throw Diagnostic("unclosed '('", at: start, help: "close it with ')'", isIncomplete: true)
          }
          throw parser.unexpected("')' to close the '(' at column \(parser.source.location(of: start.start).column)")
        }
        _ = parser.advance()
        return inner
      }
    }
    return try parseComparison()
  }

  private mutating func parseComparison() throws(Diagnostic) -> Condition {
    guard let name = current.word, !Self.connectives.contains(name.lowercased()) else {
      throw unexpected("a field name", help: "'show fields' lists them", incompleteAtEnd: false)
    }
    let field = FieldName(name, advance().span)
    note(.comparisonOperator)
    if case .op(let op) = current.kind {
      let opSpan = advance().span
      let value = try parseValue(after: "'\(op.rawValue)'", expecting: .value(field: name))
      return .comparison(field, Located(op, opSpan), value)
    }
    var negated = false
    note(.keyword(.in))
    if at(.not), index + 1 < tokens.count, tokens[index + 1].isWord(Keyword.in.rawValue) {
      _ = advance()
      negated = true
    }
    if at(.in) {
      _ = advance()
      guard current.kind == .leftParen else {
        throw unexpected("'(' after 'in'", help: "for example: status in (running, waiting)")
      }
      let open = advance().span
      var values: [Value] = []
      repeat {
        if !values.isEmpty { _ = advance() }
        note(.value(field: name))
        if current.kind == .end {
          throw Diagnostic("unclosed '('", at: open, help: "close the list with ')'", isIncomplete: true)
        }
        values.append(try parseValue(after: values.isEmpty ? "'('" : "','", expecting: .value(field: name)))
      } while current.kind == .comma
      guard current.kind == .rightParen else {
        if current.kind == .end {
          throw Diagnostic("unclosed '('", at: open, help: "close the list with ')'", isIncomplete: true)
        }
        throw unexpected("',' or ')' in the list")
      }
      let close = advance().span
      return .membership(field, negated: negated, values: values, span: field.span.to(close))
    }
    throw unexpected(
      "an operator after '\(name)'", help: "operators: = != < <= > >= ~ !~ in; for example: \(name) = value")
  }

  /// `and` and `or` end a value or a field; they are never one.
  static let connectives = [Keyword.and.rawValue, Keyword.or.rawValue]

  private mutating func parseValue(after what: String, expecting expectation: Expectation) throws(Diagnostic) -> Value {
    note(expectation)
    let token = current
    switch token.kind {
    case .word(let word) where !Self.connectives.contains(word.lowercased()):
      _ = advance()
      return Value(.word(word), text: token.text, span: token.span)
    case .string(let text):
      _ = advance()
      return Value(.quoted(text), text: token.text, span: token.span)
    case .number(let number):
      _ = advance()
      return Value(.number(number), text: token.text, span: token.span)
    case .duration(let milliseconds):
      _ = advance()
      return Value(.duration(milliseconds), text: token.text, span: token.span)
    default:
      throw Diagnostic(
        "missing value after \(what)", at: previous.span,
        help: "quote a value that contains spaces or symbols: 'like this'")
    }
  }
}
