/// Appends compact JSON to a byte buffer. Callers write the punctuation of their own structure;
/// the writer handles escaping and number formatting, the parts that are easy to get wrong.
public struct JSONWriter: Sendable {
  public var bytes: [UInt8]

  public init(capacity: Int = 256) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  public mutating func raw(_ text: StaticString) {
    bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  public mutating func raw(_ byte: UInt8) {
    bytes.append(byte)
  }

  public mutating func string(_ text: String) {
    bytes.append(UInt8(ascii: "\""))
    var text = text
    text.withUTF8 { utf8 in
      var runStart = 0
      for index in 0..<utf8.count {
        let byte = utf8[index]
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
        runStart = index + 1
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
          let hex = Array("0123456789abcdef".utf8)
          bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }
    bytes.append(UInt8(ascii: "\""))
  }

  public mutating func number(_ value: Double) {
    if value.isFinite {
      bytes.append(contentsOf: FieldValue.format(value).utf8)
    } else {
      raw("null")
    }
  }

  public mutating func number(_ value: Int) {
    bytes.append(contentsOf: String(value).utf8)
  }

  public mutating func key(_ name: String) {
    string(name)
    bytes.append(UInt8(ascii: ":"))
  }

  /// Writes a cell: strings quoted, numbers bare, lists as arrays of strings, absent as `null`.
  public mutating func value(_ value: FieldValue?) {
    switch value {
    case nil: raw("null")
    case .string(let text): string(text)
    case .number(let number): self.number(number)
    case .list(let items):
      raw(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { raw(UInt8(ascii: ",")) }
        string(item)
      }
      raw(UInt8(ascii: "]"))
    }
  }

  /// Writes `{"name":value,…}` for the present cells of a row; absent cells are left out. With
  /// `documents`, a `.json` column's text that is a JSON document is written as that document.
  public mutating func object(
    _ row: Row, columns: [Column], documents: ((String) -> Bool)? = nil
  ) {
    raw(UInt8(ascii: "{"))
    var first = true
    for (index, column) in columns.enumerated() {
      guard let cell = row.values[index] else { continue }
      if !first { raw(UInt8(ascii: ",")) }
      first = false
      key(column.name)
      if let documents, column.roles.contains(.json), case .string(let text) = cell, documents(text) {
        bytes.append(contentsOf: text.utf8)
      } else {
        value(cell)
      }
    }
    raw(UInt8(ascii: "}"))
  }
}
