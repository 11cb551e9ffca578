import Vocabulary

/// Splits source text into tokens. Newlines end statements except inside parentheses, after a
/// trailing `|` or `\`, or before a line that starts with `|`; `#` starts a comment.
public struct Lexer {
  private let bytes: [UInt8]
  private var offset = 0
  private var depth = 0
  private(set) var tokens: [Token] = []
  private(set) var diagnostics: [Diagnostic] = []

  public static func tokenize(_ source: SourceText) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var lexer = Lexer(bytes: source.bytes)
    lexer.run()
    return (lexer.tokens, lexer.diagnostics)
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  public static func isDelimiter(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "|"), UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: ")"),
      UInt8(ascii: ";"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "="), UInt8(ascii: "!"),
      UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "~"):
      true
    default: false
    }
  }

  private mutating func emit(_ kind: TokenKind, _ start: Int) {
    tokens.append(Token(kind, Span(start, offset), String(decoding: bytes[start..<offset], as: UTF8.self)))
  }

  private var lastKind: TokenKind? { tokens.last?.kind }

  private mutating func run() {
    while offset < bytes.count {
      let byte = bytes[offset]
      let start = offset
      switch byte {
      case 0x20, 0x09, 0x0D:
        offset += 1
      case 0x0A:
        offset += 1
        newline(at: start)
      case UInt8(ascii: "#"):
        while offset < bytes.count, bytes[offset] != 0x0A { offset += 1 }
      case UInt8(ascii: "\\"):
        // A backslash at the end of a line continues the statement.
        var next = offset + 1
        while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 || bytes[next] == 0x0D { next += 1 }
        if next >= bytes.count {
          offset = next
          diagnostics.append(
            Diagnostic("the statement continues after '\\'", at: Span(start, start + 1), isIncomplete: true))
        } else if bytes[next] == 0x0A {
          offset = next + 1
        } else {
          word()
        }
      case UInt8(ascii: ";"):
        offset += 1
        emit(.separator, start)
      case UInt8(ascii: "|"):
        offset += 1
        emit(.pipe, start)
      case UInt8(ascii: ","):
        offset += 1
        emit(.comma, start)
      case UInt8(ascii: "("):
        offset += 1
        depth += 1
        emit(.leftParen, start)
      case UInt8(ascii: ")"):
        offset += 1
        depth = max(0, depth - 1)
        emit(.rightParen, start)
      case UInt8(ascii: "'"), UInt8(ascii: "\""):
        quoted(byte)
      case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "~"):
        op()
      default:
        word()
      }
    }
    emit(.end, offset)
  }

  private mutating func newline(at start: Int) {
    guard depth == 0 else { return }
    if lastKind == .pipe || lastKind == .separator || lastKind == nil { return }
    if nextLineStartsWithPipe() { return }
    tokens.append(Token(.separator, Span(start, start + 1), "\n"))
  }

  /// Lets a script put each stage on its own line: `scans\n  | sort …`.
  private func nextLineStartsWithPipe() -> Bool {
    var index = offset
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0D, 0x0A: index += 1
      case UInt8(ascii: "#"):
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
      case UInt8(ascii: "|"): return true
      default: return false
      }
    }
    return false
  }

  private mutating func op() {
    let start = offset
    let first = bytes[offset]
    let second = offset + 1 < bytes.count ? bytes[offset + 1] : 0
    let kind: Operator
    switch (first, second) {
    case (UInt8(ascii: "="), UInt8(ascii: "=")):
      offset += 2
      diagnostics.append(
        Diagnostic("'==' is not an operator", at: Span(start, offset), help: "compare with a single '='"))
      emit(.op(.equal), start)
      return
    case (UInt8(ascii: "!"), UInt8(ascii: "=")): kind = .notEqual
    case (UInt8(ascii: "!"), UInt8(ascii: "~")): kind = .notContains
    case (UInt8(ascii: "<"), UInt8(ascii: "=")): kind = .lessOrEqual
    case (UInt8(ascii: ">"), UInt8(ascii: "=")): kind = .greaterOrEqual
    case (UInt8(ascii: "="), _): kind = .equal
    case (UInt8(ascii: "<"), _): kind = .less
    case (UInt8(ascii: ">"), _): kind = .greater
    case (UInt8(ascii: "~"), _): kind = .contains
    default:
      offset += 1
      diagnostics.append(
        Diagnostic(
          "unexpected '!'", at: Span(start, offset), help: "use '!=' for not equal, '!~' for does not contain, or 'not'"
        ))
      return
    }
    offset += kind.rawValue.utf8.count
    emit(.op(kind), start)
  }

  private mutating func quoted(_ quote: UInt8) {
    let start = offset
    offset += 1
    var value: [UInt8] = []
    while offset < bytes.count {
      let byte = bytes[offset]
      if byte == quote {
        offset += 1
        emit(.string(String(decoding: value, as: UTF8.self)), start)
        return
      }
      if byte == UInt8(ascii: "\\"), offset + 1 < bytes.count {
        let next = bytes[offset + 1]
        switch next {
        case UInt8(ascii: "n"): value.append(0x0A)
        case UInt8(ascii: "t"): value.append(0x09)
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): value.append(next)
        default:
          value.append(byte)
          value.append(next)
        }
        offset += 2
        continue
      }
      value.append(byte)
      offset += 1
    }
    let mark = Character(Unicode.Scalar(quote))
    diagnostics.append(
      Diagnostic(
        "unclosed quote", at: Span(start, start + 1), help: "close the string with \(mark)", isIncomplete: true))
    emit(.string(String(decoding: value, as: UTF8.self)), start)
  }

  private mutating func word() {
    let start = offset
    while offset < bytes.count, !Self.isDelimiter(bytes[offset]) { offset += 1 }
    let text = String(decoding: bytes[start..<offset], as: UTF8.self)
    if let number = Self.number(text) {
      emit(.number(number), start)
    } else if let milliseconds = Self.duration(text) {
      emit(.duration(milliseconds), start)
    } else {
      emit(.word(text), start)
    }
  }

  /// `-?digits(.digits)?`
  static func number(_ text: String) -> Double? {
    var body = Substring(text)
    if body.hasPrefix("-") { body = body.dropFirst() }
    let parts = body.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else {
      return nil
    }
    return Double(text)
  }

  /// `30s`, `250ms`, `1.5h`; in milliseconds.
  static func duration(_ text: String) -> Int64? { DurationText.milliseconds(text) }
}

extension Character {
  var isASCIIDigit: Bool { isASCII && isNumber }
}
