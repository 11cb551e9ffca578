/// Parses the small XML documents the API answers with into an element tree. It knows elements,
/// attributes (skipped), text, the five named entities, character references, CDATA, comments,
/// processing instructions and DOCTYPE (skipped). Depth is bounded.
struct XMLTreeParser {
  static let maxDepth = 128

  private let bytes: UnsafeBufferPointer<UInt8>
  private var offset = 0

  private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> XMLElement {
    var parser = XMLTreeParser(bytes)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.offset = 3 }
    try parser.skipMisc()
    guard parser.offset < bytes.count, bytes[parser.offset] == UInt8(ascii: "<") else {
      throw parser.error("expected an XML element")
    }
    let root = try parser.element(depth: 0)
    try parser.skipMisc()
    guard parser.offset == bytes.count else { throw parser.error("content after the root element") }
    return root
  }

  private func error(_ message: String) -> JSONSyntaxError {
    JSONSyntaxError(message, at: offset)
  }

  private func starts(with text: StaticString) -> Bool {
    let count = text.utf8CodeUnitCount
    guard offset + count <= bytes.count else { return false }
    for index in 0..<count where bytes[offset + index] != text.utf8Start[index] { return false }
    return true
  }

  private mutating func skip(past terminator: StaticString) throws {
    while offset < bytes.count {
      if starts(with: terminator) {
        offset += terminator.utf8CodeUnitCount
        return
      }
      offset += 1
    }
    throw error("unterminated markup")
  }

  private mutating func skipSpace() {
    while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
  }

  /// Skips whitespace, comments, processing instructions and DOCTYPE between elements.
  private mutating func skipMisc() throws {
    while true {
      skipSpace()
      if starts(with: "<?") {
        try skip(past: "?>")
      } else if starts(with: "<!--") {
        try skip(past: "-->")
      } else if starts(with: "<!DOCTYPE") || starts(with: "<!doctype") {
        try skip(past: ">")
      } else {
        return
      }
    }
  }

  private mutating func name() throws -> String {
    let start = offset
    while offset < bytes.count {
      let byte = bytes[offset]
      if [0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "=")].contains(byte) { break }
      offset += 1
    }
    guard offset > start,
      let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    else { throw error("expected a name") }
    return text
  }

  private mutating func element(depth: Int) throws -> XMLElement {
    guard depth < Self.maxDepth else { throw error("XML nested more than \(Self.maxDepth) levels deep") }
    offset += 1  // "<"
    var element = XMLElement(name: try name())
    // Attributes carry nothing the API uses; check their shape and move on.
    while true {
      skipSpace()
      guard offset < bytes.count else { throw error("unterminated start tag") }
      if starts(with: "/>") {
        offset += 2
        return element
      }
      if bytes[offset] == UInt8(ascii: ">") {
        offset += 1
        break
      }
      _ = try name()
      skipSpace()
      guard offset < bytes.count, bytes[offset] == UInt8(ascii: "=") else {
        throw error("expected '=' in an attribute")
      }
      offset += 1
      skipSpace()
      guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") || bytes[offset] == UInt8(ascii: "'") else {
        throw error("expected a quoted attribute value")
      }
      let quote = bytes[offset]
      offset += 1
      while offset < bytes.count, bytes[offset] != quote { offset += 1 }
      guard offset < bytes.count else { throw error("unterminated attribute value") }
      offset += 1
    }
    var text: [UInt8] = []
    while true {
      guard offset < bytes.count else { throw error("unterminated element <\(element.name)>") }
      let byte = bytes[offset]
      if byte == UInt8(ascii: "<") {
        if starts(with: "</") {
          offset += 2
          let closing = try name()
          guard closing == element.name else {
            throw error("</\(closing)> closes <\(element.name)>")
          }
          skipSpace()
          guard offset < bytes.count, bytes[offset] == UInt8(ascii: ">") else { throw error("expected '>'") }
          offset += 1
          break
        } else if starts(with: "<![CDATA[") {
          offset += 9
          let start = offset
          try skip(past: "]]>")
          text.append(contentsOf: bytes[start..<(offset - 3)])
        } else if starts(with: "<!--") {
          try skip(past: "-->")
        } else if starts(with: "<?") {
          try skip(past: "?>")
        } else {
          element.children.append(try self.element(depth: depth + 1))
        }
      } else if byte == UInt8(ascii: "&") {
        try appendEntity(to: &text)
      } else {
        text.append(byte)
        offset += 1
      }
    }
    guard let decoded = String(validating: text, as: UTF8.self) else {
      throw error("text of <\(element.name)> is not valid UTF-8")
    }
    element.text = element.children.isEmpty ? decoded : decoded.trimming(" \n\r\t")
    return element
  }

  private mutating func appendEntity(to text: inout [UInt8]) throws {
    let start = offset
    guard let end = bytes[offset...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
      throw error("unterminated entity")
    }
    let body = String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<end]), as: UTF8.self)
    offset = end + 1
    switch body {
    case "amp": text.append(UInt8(ascii: "&"))
    case "lt": text.append(UInt8(ascii: "<"))
    case "gt": text.append(UInt8(ascii: ">"))
    case "quot": text.append(UInt8(ascii: "\""))
    case "apos": text.append(UInt8(ascii: "'"))
    default:
      let code: UInt32?
      if body.hasPrefix("#x") || body.hasPrefix("#X") {
        code = UInt32(body.dropFirst(2), radix: 16)
      } else if body.hasPrefix("#") {
        code = UInt32(body.dropFirst())
      } else {
        code = nil
      }
      guard let code, let scalar = Unicode.Scalar(code) else {
        offset = start
        throw error("unknown entity '&\(body);'")
      }
      text.append(contentsOf: String(Character(scalar)).utf8)
    }
  }
}

extension String {
  func trimming(_ set: String) -> String {
    let scalars = Set(set.unicodeScalars)
    let view = unicodeScalars
    guard let first = view.firstIndex(where: { !scalars.contains($0) }) else { return "" }
    let last = view.lastIndex(where: { !scalars.contains($0) })!
    return String(view[first...last])
  }
}
