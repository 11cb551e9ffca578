import Foundation
import QueryEngine
import QueryLanguage
import ScanAPI

/// Context-aware Tab completion as a pure function of the line, the cursor and the values seen
/// in earlier results: no API call per keystroke.
public enum Completer {
  /// Values a field can be completed with.
  public typealias ValueSource = (ScanField) -> [String]

  public static func complete(_ line: String, cursor: Int, values: ValueSource) -> Completion {
    let bytes = Array(line.utf8)
    let before = String(decoding: bytes[0..<min(max(0, cursor), bytes.count)], as: UTF8.self)
    let lexed = Lexer.tokenize(SourceText(before))
    var tokens = lexed.tokens
    let diagnostics = lexed.diagnostics
    tokens.removeLast()  // .end
    var partial = ""
    var quoted = false
    if let last = tokens.last, last.span.end == before.utf8.count {
      switch last.kind {
      case .string(let text) where diagnostics.contains(where: { $0.isIncomplete && $0.message == "unclosed quote" }):
        partial = text
        quoted = true
        tokens.removeLast()
      case .word, .number, .duration:
        // The token ends at the cursor: it is the word being completed.
        partial = last.text
        tokens.removeLast()
      default:
        break
      }
    }
    // The statement and the stage the cursor is in.
    let statementTokens = Array(tokens.reversed().prefix { $0.kind != .separator }.reversed())
    var segments: [[Token]] = [[]]
    for token in statementTokens {
      if token.kind == .pipe { segments.append([]) } else { segments[segments.count - 1].append(token) }
    }
    let segment = segments[segments.count - 1]
    let candidates =
      segments.count == 1 ? statementStart(segment, values: values) : stage(segment, values: values)
    return finish(candidates: candidates, partial: partial, quoted: quoted)
  }

  // MARK: Contexts

  static let sourcesAndCommands = LanguageReference.names(of: .source) + LanguageReference.names(of: .command)

  private static func statementStart(_ segment: [Token], values: ValueSource) -> [String] {
    guard let first = segment.first?.word?.lowercased() else { return sourcesAndCommands }
    let rest = Array(segment.dropFirst())
    switch first {
    case "scans":
      if let whereIndex = rest.firstIndex(where: { $0.isWord("where") }) {
        return condition(Array(rest[(whereIndex + 1)...]), values: values)
      }
      if rest.last?.isWord("search") == true { return values(.name) + values(.targets) }
      return rest.isEmpty || rest.count == 2 ? ["search", "where"] : ["where"]
    case "set":
      if rest.isEmpty { return Settings.names }
      if rest.count == 1, let name = rest[0].word { return Settings.values(for: name) }
      return []
    case "show":
      return rest.isEmpty ? LanguageReference.showTopics : []
    case "help":
      return rest.isEmpty ? LanguageReference.entries.map(\.name) + ["fields"] : []
    case "explain":
      return statementStart(rest, values: values)
    default:
      return []
    }
  }

  private static func stage(_ segment: [Token], values: ValueSource) -> [String] {
    guard let first = segment.first else { return LanguageReference.names(of: .stage) }
    guard let word = first.word, let entry = LanguageReference.entry(named: word) else { return [] }
    let rest = Array(segment.dropFirst())
    switch entry.name {
    case "where":
      return condition(rest, values: values)
    case "sort":
      if let last = rest.last, last.kind != .comma, !last.isWord("asc"), !last.isWord("desc") {
        return ["asc", "desc"]
      }
      return rest.last?.isWord("asc") == true || rest.last?.isWord("desc") == true ? [] : fieldNames
    case "select":
      return rest.isEmpty || rest.last?.kind == .comma ? fieldNames : []
    case "group":
      return rest.isEmpty ? fieldNames : []
    case "format":
      return rest.isEmpty ? LanguageReference.formats : []
    case "expect":
      return check(rest, values: values)
    case "watch":
      if let until = rest.firstIndex(where: { $0.isWord("until") }) {
        if rest.last?.isWord("for") == true { return [] }
        return check(Array(rest[(until + 1)...]), values: values, bare: true) + (rest.count > until + 1 ? ["for"] : [])
      }
      if case .duration? = rest.last?.kind { return ["until", "for"] }
      return []
    default:
      return []
    }
  }

  private static func check(_ tokens: [Token], values: ValueSource, bare: Bool = false) -> [String] {
    guard let first = tokens.first else {
      return LanguageReference.checkWords + (bare ? fieldNames : [])
    }
    if ["all", "any", "none"].contains(where: { first.isWord($0) }) {
      return condition(Array(tokens.dropFirst()), values: values)
    }
    if first.isWord("empty") || first.isWord("count") { return [] }
    return bare ? condition(tokens, values: values) : []
  }

  static let operators = ["=", "!=", "<", "<=", ">", ">=", "~", "!~", "in", "not"]

  /// Inside a condition: a field, an operator, a value, or a connective.
  private static func condition(_ tokens: [Token], values: ValueSource) -> [String] {
    guard let last = tokens.last else { return fieldNames + ["not"] }
    switch last.kind {
    case .op:
      guard tokens.count >= 2, let field = tokens[tokens.count - 2].word else { return [] }
      return fieldValues(field, values: values)
    case .leftParen, .comma:
      // Inside `FIELD in (…` values; after a plain `(`, a new condition.
      if let open = tokens.lastIndex(where: { $0.kind == .leftParen }), open >= 2, tokens[open - 1].isWord("in"),
        !tokens[open...].contains(where: { $0.kind == .rightParen }), let field = fieldBefore(in: tokens, at: open - 1)
      {
        return fieldValues(field, values: values)
      }
      return last.kind == .leftParen ? fieldNames + ["not"] : []
    case .word(let word):
      let lowered = word.lowercased()
      if ["and", "or", "not"].contains(lowered) { return fieldNames + (lowered == "not" ? [] : ["not"]) }
      if lowered == "in" { return [] }
      let previous = tokens.count >= 2 ? tokens[tokens.count - 2] : nil
      if previous == nil || previous!.kind == .leftParen
        || ["and", "or", "not", "where"].contains(previous!.word?.lowercased() ?? "")
      {
        return operators
      }
      return ["and", "or"]
    case .rightParen, .string, .number, .duration:
      return ["and", "or"]
    default:
      return []
    }
  }

  private static func fieldBefore(in tokens: [Token], at inIndex: Int) -> String? {
    var index = inIndex - 1
    if index >= 0, tokens[index].isWord("not") { index -= 1 }
    return index >= 0 ? tokens[index].word : nil
  }

  static var fieldNames: [String] {
    FieldCatalog.aliases.map(\.alias) + ScanField.allCases.map(\.apiName)
  }

  private static func fieldValues(_ name: String, values: ValueSource) -> [String] {
    guard let field = FieldCatalog.field(named: name) else { return [] }
    let known = field.kind.knownValues
    return known.isEmpty ? values(field) : known
  }

  // MARK: Matching

  static func finish(candidates: [String], partial: String, quoted: Bool) -> Completion {
    var matches = candidates.filter { hasPrefixIgnoringCase($0, partial) }
    if matches.count <= 64 {
      // Aliases and API names may differ only in case; keep one, in the case the user typed.
      var kept: [String] = []
      for candidate in matches {
        if let index = kept.firstIndex(where: { $0.lowercased() == candidate.lowercased() }) {
          if let first = partial.first, first.isLowercase == candidate.first?.isLowercase { kept[index] = candidate }
        } else {
          kept.append(candidate)
        }
      }
      matches = kept
    }
    let replacing = partial.count + (quoted ? 1 : 0)
    guard !matches.isEmpty else { return Completion(replacing: replacing, insertion: nil, candidates: []) }
    if matches.count == 1 {
      return Completion(
        replacing: replacing, insertion: word(matches[0], forceQuote: quoted) + " ", candidates: matches)
    }
    let common = commonPrefix(matches)
    let insertion = common.count > partial.count ? (quoted ? "'" + common : common) : nil
    return Completion(replacing: replacing, insertion: insertion, candidates: matches)
  }

  /// Case-insensitive for ASCII, byte by byte: thousands of known ScanIds are filtered per Tab.
  static func hasPrefixIgnoringCase(_ text: String, _ prefix: String) -> Bool {
    var textBytes = text.utf8.makeIterator()
    for byte in prefix.utf8 {
      guard let other = textBytes.next() else { return false }
      if byte == other { continue }
      guard byte < 0x80, other < 0x80, byte | 0x20 == other | 0x20, (byte | 0x20) >= 0x61, (byte | 0x20) <= 0x7A else {
        return byte >= 0x80 || other >= 0x80 ? text.lowercased().hasPrefix(prefix.lowercased()) : false
      }
    }
    return true
  }

  /// A value as it must be typed: bare when it lexes as one word, quoted otherwise.
  static func word(_ value: String, forceQuote: Bool = false) -> String {
    let bare = !value.isEmpty && value.utf8.allSatisfy { !Lexer.isDelimiter($0) && $0 != UInt8(ascii: "#") }
    if bare, !forceQuote { return value }
    return "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
  }

  /// The longest prefix all share, ignoring ASCII case, in the first one's case, cut at a
  /// character boundary.
  static func commonPrefix(_ words: [String]) -> String {
    guard let first = words.first else { return "" }
    let head = Array(first.utf8)
    var length = head.count
    for word in words.dropFirst() {
      var index = 0
      for byte in word.utf8 {
        guard index < length else { break }
        let other = head[index]
        guard
          byte == other
            || (byte < 0x80 && other < 0x80 && byte | 0x20 == other | 0x20 && (byte | 0x20) >= 0x61
              && (byte | 0x20) <= 0x7A)
        else { break }
        index += 1
      }
      length = min(length, index)
      if length == 0 { return "" }
    }
    while length > 0, length < head.count, head[length] & 0xC0 == 0x80 { length -= 1 }
    return String(decoding: head[0..<length], as: UTF8.self)
  }
}
