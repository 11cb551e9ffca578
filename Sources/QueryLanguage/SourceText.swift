/// Text being parsed, with the name it is reported under (`FILE`, `-c`, or nil in the REPL).
public struct SourceText: Sendable, Equatable {
  public let name: String?
  public let text: String
  public let bytes: [UInt8]

  public init(_ text: String, name: String? = nil) {
    self.name = name
    self.text = text
    self.bytes = Array(text.utf8)
  }

  public static func == (a: SourceText, b: SourceText) -> Bool { a.name == b.name && a.text == b.text }

  public func slice(_ span: Span) -> String {
    let start = min(max(0, span.start), bytes.count)
    let end = min(max(start, span.end), bytes.count)
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// 1-based line and column (in characters) of a byte offset.
  public func location(of offset: Int) -> (line: Int, column: Int) {
    let offset = min(max(0, offset), bytes.count)
    var line = 1
    var lineStart = 0
    for index in 0..<offset where bytes[index] == 0x0A {
      line += 1
      lineStart = index + 1
    }
    let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
    return (line, column)
  }

  /// The byte range of the line holding `offset`, without its newline.
  public func lineRange(containing offset: Int) -> Range<Int> {
    let offset = min(max(0, offset), bytes.count)
    var start = offset
    while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
    var end = offset
    while end < bytes.count, bytes[end] != 0x0A { end += 1 }
    return start..<end
  }
}
