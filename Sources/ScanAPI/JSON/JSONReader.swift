/// A pull parser over UTF-8 JSON bytes. Callers walk the document (`beginObject`, `nextMember`,
/// `readString`, `skipValue`, …) and decode straight into their own types: no intermediate tree,
/// no `Any`, and values the caller does not want are skipped without allocating.
///
/// The buffer must outlive the reader; use it inside `withUnsafeBytes`.
struct JSONReader {
  enum Kind { case object, array, string, number, bool, null }

  /// Deeper nesting than this is refused, so hostile input cannot exhaust the stack.
  static let maxDepth = 256

  private let bytes: UnsafeBufferPointer<UInt8>
  private(set) var offset: Int
  private var depth = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
    self.offset = 0
  }

  var isAtEnd: Bool {
    mutating get {
      skipWhitespace()
      return offset >= bytes.count
    }
  }

  mutating func skipWhitespace() {
    while offset < bytes.count {
      switch bytes[offset] {
      case 0x20, 0x0A, 0x0D, 0x09: offset += 1
      default: return
      }
    }
  }

  func error(_ message: String) -> JSONSyntaxError {
    JSONSyntaxError(message, at: offset)
  }

  private mutating func nextByte() throws -> UInt8 {
    skipWhitespace()
    guard offset < bytes.count else { throw error("unexpected end of JSON") }
    return bytes[offset]
  }

  mutating func peekKind() throws -> Kind {
    switch try nextByte() {
    case UInt8(ascii: "{"): return .object
    case UInt8(ascii: "["): return .array
    case UInt8(ascii: "\""): return .string
    case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
    case UInt8(ascii: "n"): return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
    case let byte: throw error("unexpected \(Self.describe(byte))")
    }
  }

  private mutating func expect(_ byte: UInt8, _ what: String) throws {
    guard try nextByte() == byte else {
      throw error("expected \(what), found \(Self.describe(bytes[offset]))")
    }
    offset += 1
  }

  // MARK: Containers

  mutating func beginObject() throws {
    try expect(UInt8(ascii: "{"), "'{'")
    try enter()
  }

  mutating func beginArray() throws {
    try expect(UInt8(ascii: "["), "'['")
    try enter()
  }

  private mutating func enter() throws {
    depth += 1
    if depth > Self.maxDepth { throw error("JSON nested more than \(Self.maxDepth) levels deep") }
  }

  /// True when another member follows (its key is next); false after consuming the closing `}`.
  mutating func nextMember(first: inout Bool) throws -> Bool {
    try nextItem(first: &first, close: UInt8(ascii: "}"), "',' or '}'")
  }

  /// True when another element follows; false after consuming the closing `]`.
  mutating func nextElement(first: inout Bool) throws -> Bool {
    try nextItem(first: &first, close: UInt8(ascii: "]"), "',' or ']'")
  }

  private mutating func nextItem(first: inout Bool, close: UInt8, _ what: String) throws -> Bool {
    let byte = try nextByte()
    if byte == close {
      offset += 1
      depth -= 1
      return false
    }
    if first {
      first = false
    } else {
      guard byte == UInt8(ascii: ",") else { throw error("expected \(what), found \(Self.describe(byte))") }
      offset += 1
    }
    return true
  }

  /// Reads a member's key and the `:` after it.
  mutating func readKey() throws -> String {
    guard try nextByte() == UInt8(ascii: "\"") else {
      throw error("expected a quoted key, found \(Self.describe(bytes[offset]))")
    }
    let key = try readString()
    try expect(UInt8(ascii: ":"), "':'")
    return key
  }

  // MARK: Scalars

  mutating func readString() throws -> String {
    try expect(UInt8(ascii: "\""), "a string")
    let start = offset
    while offset < bytes.count {
      let byte = bytes[offset]
      if byte == UInt8(ascii: "\"") {
        let text = try Self.validated(UnsafeBufferPointer(rebasing: bytes[start..<offset]), at: start)
        offset += 1
        return text
      }
      if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
      if byte < 0x20 { throw error("control character in a string") }
      offset += 1
    }
    throw error("unterminated string")
  }

  private mutating func readEscapedString(from start: Int) throws -> String {
    var buffer = Array(bytes[start..<offset])
    while offset < bytes.count {
      let byte = bytes[offset]
      switch byte {
      case UInt8(ascii: "\""):
        offset += 1
        return try buffer.withUnsafeBufferPointer { try Self.validated($0, at: start) }
      case UInt8(ascii: "\\"):
        offset += 1
        guard offset < bytes.count else { throw error("unterminated string") }
        let escape = bytes[offset]
        offset += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"): try appendUnicodeEscape(to: &buffer)
        default: throw error("invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
        }
      default:
        if byte < 0x20 { throw error("control character in a string") }
        buffer.append(byte)
        offset += 1
      }
    }
    throw error("unterminated string")
  }

  private mutating func readHex4() throws -> UInt32 {
    guard offset + 4 <= bytes.count else { throw error("unterminated \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[offset]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw error("invalid \\u escape")
      }
      value = value << 4 | UInt32(digit)
      offset += 1
    }
    return value
  }

  private mutating func appendUnicodeEscape(to buffer: inout [UInt8]) throws {
    var code = try readHex4()
    if (0xD800..<0xDC00).contains(code) {
      // A high surrogate must be followed by an escaped low surrogate.
      guard offset + 6 <= bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u")
      else { throw error("unpaired surrogate in \\u escape") }
      offset += 2
      let low = try readHex4()
      guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in \\u escape") }
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
    } else if (0xDC00..<0xE000).contains(code) {
      throw error("unpaired surrogate in \\u escape")
    }
    guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
    buffer.append(contentsOf: String(Character(scalar)).utf8)
  }

  /// UTF-8 text from bytes, or an error when they are not valid UTF-8. Checked by hand: the
  /// standard library's validating initializer is generic and too slow on this path.
  static func validated(_ slice: UnsafeBufferPointer<UInt8>, at start: Int) throws -> String {
    guard UTF8Validation.isValid(slice) else {
      throw JSONSyntaxError("a string is not valid UTF-8", at: start)
    }
    return String(decoding: slice, as: UTF8.self)
  }

  /// The offset of the first `"` or `\` at or after `start` (the buffer's end when there is none),
  /// eight bytes at a time: skipping unwanted values and matching keys dominate reading a file,
  /// and most strings are short and have no escape.
  private func quoteOrBackslash(from start: Int) -> Int {
    var index = start
    if let base = bytes.baseAddress {
      let ones: UInt64 = 0x0101_0101_0101_0101
      let highs: UInt64 = 0x8080_8080_8080_8080
      while index + 8 <= bytes.count {
        let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        // A byte of `quotes` (or `backslashes`) is zero exactly where the word has a quote (or
        // backslash); this sets the high bit of the first such byte (little-endian).
        let found = ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes) & highs
        if found != 0 { return index + found.trailingZeroBitCount / 8 }
        index += 8
      }
    }
    while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
      index += 1
    }
    return index
  }

  /// Skips a string without building it.
  mutating func skipString() throws {
    try expect(UInt8(ascii: "\""), "a string")
    // Most strings have no escape: the closing quote is the first quote.
    let end = quoteOrBackslash(from: offset)
    if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
      offset = end + 1
      return
    }
    while offset < bytes.count {
      let byte = bytes[offset]
      if byte == UInt8(ascii: "\"") {
        offset += 1
        return
      }
      offset += byte == UInt8(ascii: "\\") ? 2 : 1
    }
    throw error("unterminated string")
  }

  /// Reads a member's key and the `:` after it, matching it against the scan fields by its bytes;
  /// nil for a key that is not a field.
  mutating func readFieldKey(in resource: Resource) throws -> Int? {
    guard try nextByte() == UInt8(ascii: "\"") else {
      throw error("expected a quoted key, found \(Self.describe(bytes[offset]))")
    }
    let start = offset + 1
    let end = quoteOrBackslash(from: start)
    let escaped = end < bytes.count && bytes[end] == UInt8(ascii: "\\")
    let field: Int?
    if escaped || end >= bytes.count {
      field = resource.index(of: try readString())
    } else {
      field = resource.index(of: UnsafeBufferPointer(rebasing: bytes[start..<end]))
      offset = end + 1
    }
    try expect(UInt8(ascii: ":"), "':'")
    return field
  }

  /// Reads a number and returns its exact text, as digits that must not pass through a Double
  /// (a 19-digit ScanId sent as a number) need.
  mutating func readNumberText() throws -> Substring {
    let range = try scanNumber()
    return Substring(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  mutating func readNumber() throws -> Double {
    let range = try scanNumber()
    let slice = bytes[range]
    if slice.count <= 18, !slice.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) {
      var value: Int64 = 0
      var negative = false
      for byte in slice {
        if byte == UInt8(ascii: "-") { negative = true } else { value = value * 10 + Int64(byte - UInt8(ascii: "0")) }
      }
      return Double(negative ? -value : value)
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: slice), as: UTF8.self)
    guard let value = Double(text) else { throw JSONSyntaxError("invalid number", at: range.lowerBound) }
    return value
  }

  /// Checks the JSON number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
  private mutating func scanNumber() throws -> Range<Int> {
    skipWhitespace()
    let start = offset
    func digits(_ reader: inout JSONReader) -> Int {
      let begin = reader.offset
      while reader.offset < reader.bytes.count,
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(reader.bytes[reader.offset])
      {
        reader.offset += 1
      }
      return reader.offset - begin
    }
    if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
    let integerStart = offset
    let integerDigits = digits(&self)
    guard integerDigits > 0 else { throw error("invalid number") }
    if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") {
      throw JSONSyntaxError("invalid number (leading zero)", at: start)
    }
    if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
      offset += 1
      guard digits(&self) > 0 else { throw error("invalid number") }
    }
    if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
      offset += 1
      if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
        offset += 1
      }
      guard digits(&self) > 0 else { throw error("invalid number") }
    }
    return start..<offset
  }

  mutating func readBool() throws -> Bool {
    if try literal("true") { return true }
    if try literal("false") { return false }
    throw error("invalid literal")
  }

  mutating func readNull() throws {
    guard try literal("null") else { throw error("invalid literal") }
  }

  private mutating func literal(_ word: StaticString) throws -> Bool {
    skipWhitespace()
    let count = word.utf8CodeUnitCount
    guard offset + count <= bytes.count else { return false }
    for index in 0..<count where bytes[offset + index] != word.utf8Start[index] { return false }
    offset += count
    return true
  }

  // MARK: Whole values

  mutating func skipValue() throws {
    switch try peekKind() {
    case .object:
      try beginObject()
      var first = true
      while try nextMember(first: &first) {
        _ = try readKey()
        try skipValue()
      }
    case .array:
      try beginArray()
      var first = true
      while try nextElement(first: &first) { try skipValue() }
    case .string: try skipString()
    case .number: _ = try scanNumber()
    case .bool: _ = try readBool()
    case .null: try readNull()
    }
  }

  /// Skips a value and returns its source text, for values kept verbatim.
  mutating func readRawValue() throws -> String {
    skipWhitespace()
    let start = offset
    try skipValue()
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
  }

  static func describe(_ byte: UInt8) -> String {
    if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    return "byte 0x" + String(byte, radix: 16, uppercase: true)
  }
}
