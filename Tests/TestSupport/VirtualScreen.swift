/// A small terminal emulator: enough of VT100/xterm to show what a person would see after
/// libedit's redraws (cursor moves, erases, wrapping, wide characters), for asserting on screens.
public struct VirtualScreen: Sendable {
  public let rows: Int
  public let columns: Int
  private var cells: [[String]]
  public private(set) var row = 0
  public private(set) var column = 0
  private var pendingWrap = false
  private var saved = (0, 0)
  private var utf8: [UInt8] = []
  /// The main screen while the alternate one (`CSI ?1049h`) is shown.
  private var primary: (cells: [[String]], row: Int, column: Int)?
  private var escape: [UInt8]?

  public init(rows: Int, columns: Int) {
    self.rows = rows
    self.columns = columns
    cells = Array(repeating: Array(repeating: " ", count: columns), count: rows)
  }

  /// The screen's lines, trailing spaces removed.
  public var lines: [String] {
    cells.map { line in
      var text = line.joined()
      while text.hasSuffix(" ") { text.removeLast() }
      return text
    }
  }

  public var text: String { lines.joined(separator: "\n") }

  /// The line the cursor is on.
  public var currentLine: String { lines[row] }

  public mutating func feed(_ bytes: [UInt8]) {
    for byte in bytes { feed(byte) }
  }

  private mutating func feed(_ byte: UInt8) {
    if var sequence = escape {
      sequence.append(byte)
      escape = sequence
      if finishEscape(sequence) { escape = nil }
      return
    }
    if !utf8.isEmpty || byte >= 0x80 {
      utf8.append(byte)
      let expected = utf8[0] >= 0xF0 ? 4 : utf8[0] >= 0xE0 ? 3 : utf8[0] >= 0xC0 ? 2 : 1
      if utf8.count >= expected {
        put(String(decoding: utf8, as: UTF8.self))
        utf8 = []
      }
      return
    }
    switch byte {
    case 0x1B: escape = []
    case 0x0D:
      column = 0
      pendingWrap = false
    case 0x0A: lineFeed()
    case 0x08:
      column = max(0, column - 1)
      pendingWrap = false
    case 0x09: column = min(columns - 1, (column / 8 + 1) * 8)
    case 0x07: break
    case 0x20...0x7E: put(String(UnicodeScalar(byte)))
    default: break
    }
  }

  private mutating func lineFeed() {
    pendingWrap = false
    if row == rows - 1 {
      cells.removeFirst()
      cells.append(Array(repeating: " ", count: columns))
    } else {
      row += 1
    }
  }

  private mutating func put(_ character: String) {
    let wide = character.unicodeScalars.first.map { Self.isWide($0.value) } ?? false
    if pendingWrap || (wide && column == columns - 1) {
      column = 0
      lineFeed()
    }
    cells[row][column] = character
    if wide, column + 1 < columns { cells[row][column + 1] = "" }
    let advance = wide ? 2 : 1
    if column + advance >= columns {
      column = columns - 1
      pendingWrap = true
    } else {
      column += advance
    }
  }

  static func isWide(_ value: UInt32) -> Bool {
    switch value {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3,
      0xF900...0xFAFF, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
      true
    default: false
    }
  }

  /// True when the sequence is complete (and applied).
  private mutating func finishEscape(_ sequence: [UInt8]) -> Bool {
    guard let first = sequence.first else { return false }
    switch first {
    case UInt8(ascii: "["):
      guard sequence.count > 1, let final = sequence.last, (0x40...0x7E).contains(final) else { return false }
      csi(Array(sequence[1..<(sequence.count - 1)]), final)
      return true
    case UInt8(ascii: "]"):
      // OSC: until BEL or ST.
      return sequence.last == 0x07 || sequence.suffix(2) == [0x1B, UInt8(ascii: "\\")]
    case UInt8(ascii: "("), UInt8(ascii: ")"):
      return sequence.count == 2
    case UInt8(ascii: "M"):
      if row > 0 { row -= 1 }
      return true
    case UInt8(ascii: "7"):
      saved = (row, column)
      return true
    case UInt8(ascii: "8"):
      (row, column) = saved
      return true
    default:
      return true
    }
  }

  private mutating func csi(_ body: [UInt8], _ final: UInt8) {
    let text = String(decoding: body, as: UTF8.self)
    let isPrivate = text.hasPrefix("?")
    let numbers = text.trimmingPrefix("?").split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
    func parameter(_ index: Int, _ fallback: Int) -> Int {
      index < numbers.count ? (numbers[index] ?? fallback) : fallback
    }
    pendingWrap = false
    if isPrivate {
      if numbers.first == 1049, final == UInt8(ascii: "h"), primary == nil {
        primary = (cells, row, column)
        cells = Array(repeating: Array(repeating: " ", count: columns), count: rows)
      } else if numbers.first == 1049, final == UInt8(ascii: "l"), let saved = primary {
        (cells, row, column) = saved
        primary = nil
      }
      return
    }
    switch final {
    case UInt8(ascii: "A"): row = max(0, row - max(1, parameter(0, 1)))
    case UInt8(ascii: "B"): row = min(rows - 1, row + max(1, parameter(0, 1)))
    case UInt8(ascii: "C"): column = min(columns - 1, column + max(1, parameter(0, 1)))
    case UInt8(ascii: "D"): column = max(0, column - max(1, parameter(0, 1)))
    case UInt8(ascii: "G"): column = min(columns - 1, max(0, parameter(0, 1) - 1))
    case UInt8(ascii: "d"): row = min(rows - 1, max(0, parameter(0, 1) - 1))
    case UInt8(ascii: "H"), UInt8(ascii: "f"):
      row = min(rows - 1, max(0, parameter(0, 1) - 1))
      column = min(columns - 1, max(0, parameter(1, 1) - 1))
    case UInt8(ascii: "J"):
      switch parameter(0, 0) {
      case 0:
        clear(row: row, from: column)
        for line in (row + 1)..<rows { clear(row: line, from: 0) }
      case 1:
        for line in 0..<row { clear(row: line, from: 0) }
        for index in 0...column { cells[row][index] = " " }
      default:
        for line in 0..<rows { clear(row: line, from: 0) }
      }
    case UInt8(ascii: "K"):
      switch parameter(0, 0) {
      case 0: clear(row: row, from: column)
      case 1: for index in 0...column { cells[row][index] = " " }
      default: clear(row: row, from: 0)
      }
    case UInt8(ascii: "P"):
      let count = max(1, parameter(0, 1))
      cells[row].removeSubrange(column..<min(columns, column + count))
      cells[row] += Array(repeating: " ", count: columns - cells[row].count)
    case UInt8(ascii: "@"):
      let count = max(1, parameter(0, 1))
      cells[row].insert(contentsOf: Array(repeating: " ", count: count), at: column)
      cells[row] = Array(cells[row].prefix(columns))
    default:
      break
    }
  }

  private mutating func clear(row line: Int, from start: Int) {
    for index in start..<columns { cells[line][index] = " " }
  }
}

extension String {
  fileprivate func trimmingPrefix(_ prefix: String) -> Substring {
    hasPrefix(prefix) ? dropFirst(prefix.count) : Substring(self)
  }
}
