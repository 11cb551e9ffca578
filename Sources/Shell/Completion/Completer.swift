import QueryEngine
import QueryLanguage
import ScanAPI

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Tab completion as a pure function of the line, the cursor and the values seen in earlier
/// results: no API call per keystroke. What fits at the cursor is the parser's answer
/// (`Parser.expectations(after:)`); this turns each expectation into words.
public enum Completer {
  /// Values a field can be completed with.
  public typealias ValueSource = (ScanField) -> [String]

  public static func complete(_ line: String, cursor: Int, values: ValueSource) -> Completion {
    let bytes = Array(line.utf8)
    let before = Array(bytes[0..<min(max(0, cursor), bytes.count)])
    let lexed = Lexer.tokenize(SourceText(String(decoding: before, as: UTF8.self)))
    // The word being completed is the token that ends at the cursor; the parser is asked what
    // fits where it starts.
    var partial = ""
    var quoted = false
    var start = before.count
    if let last = lexed.tokens.dropLast().last, last.span.end == before.count {
      switch last.kind {
      case .string(let text)
      where lexed.diagnostics.contains(where: { $0.isIncomplete && $0.span.start == last.span.start }):
        (partial, quoted, start) = (text, true, last.span.start)
      case .word, .number, .duration:
        (partial, start) = (last.text, last.span.start)
      default:
        break
      }
    }
    let expectations = Parser.expectations(after: String(decoding: before[0..<start], as: UTF8.self))
    let resource = Self.resource(at: lexed.tokens)
    let candidates = expectations.flatMap { words(for: $0, values: values, resource: resource) }
    return finish(candidates: candidates, partial: partial, quoted: quoted)
  }

  /// Whose rows the fields at the end of these tokens belong to: the last source or relation
  /// (`scans`, `sessions`, `findings`) that starts the line or follows `|`.
  static func resource(at tokens: [Token]) -> Resource {
    var resource = Resource.scans
    for (index, token) in tokens.enumerated() {
      guard let word = token.word, let name = ListingName(rawValue: word.lowercased()) else { continue }
      if index == 0 || tokens[index - 1].kind == .pipe || tokens[index - 1].kind == .separator {
        resource = Resource(name)
      }
    }
    return resource
  }

  /// The words an expectation stands for.
  static func words(for expectation: Expectation, values: ValueSource, resource: Resource = .scans) -> [String] {
    switch expectation {
    case .statement: LanguageReference.statementWords
    case .source: LanguageReference.names(of: .source)
    case .stage: LanguageReference.names(of: .stage)
    case .pipe: ["|"]
    case .keyword(let keyword): [keyword.rawValue]
    case .field: resource == .scans ? fieldNames : FieldCatalog.allNames(of: resource)
    case .allFields: ["*"]
    case .aggregate: AggregateFunction.allCases.map(\.rawValue)
    case .calendarUnit: CalendarUnit.allCases.map(\.rawValue)
    case .comparisonOperator: Operator.allCases.map(\.rawValue)
    case .value(let field):
      resource == .scans
        ? fieldValues(field, values: values)
        : FieldCatalog.field(named: field, in: resource).map { resource.columns[$0].kind.knownValues } ?? []
    case .searchText: values(.name) + values(.targets)
    case .format: LanguageReference.formats
    case .setting: LanguageReference.settingNames
    case .settingValue(let name): LanguageReference.setting(named: name)?.suggestions ?? []
    case .showTopic: LanguageReference.showTopics
    case .helpTopic: LanguageReference.helpTopics
    case .account: ["all"] + values(.account)
    }
  }

  static var fieldNames: [String] {
    FieldCatalog.aliases.map(\.alias) + ScanField.allCases.map(\.apiName)
  }

  private static func fieldValues(_ name: String, values: ValueSource) -> [String] {
    guard let field = FieldCatalog.field(named: name) else { return [] }
    // Documented values first, then any others seen in results (the API adds values first).
    let documented = field.kind.knownValues
    // Only enum fields have documented values; ten thousand ScanIds are not lowercased per Tab.
    guard !documented.isEmpty else { return values(field) }
    return documented + values(field).filter { !documented.contains($0.lowercased()) }
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
    // `|` is offered after a complete stage: the language's own symbol, never a value to quote.
    if value == "|" { return value }
    let bare = !value.isEmpty && value.utf8.allSatisfy { !Lexer.isDelimiter($0) && $0 != UInt8(ascii: "#") }
    if bare, !forceQuote { return value }
    return "'" + value.replacingScalars("\\", with: "\\\\").replacingScalars("'", with: "\\'") + "'"
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
