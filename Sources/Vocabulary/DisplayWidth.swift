/// Columns a terminal gives text: East Asian wide characters take two, combining marks none.
/// Tables, carets under diagnostics and completion listings all measure with this.
public enum DisplayWidth {
  public static func of(_ text: some StringProtocol) -> Int {
    var width = 0
    for scalar in text.unicodeScalars { width += of(scalar) }
    return width
  }

  public static func of(_ scalar: Unicode.Scalar) -> Int {
    switch scalar.value {
    case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: 0
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
      0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
      0x1F900...0x1F9FF, 0x20000...0x3FFFD:
      2
    default: 1
    }
  }
}

extension String {
  /// Padded with spaces to `width` display columns; text already that wide gets one space.
  public func padded(to width: Int) -> String {
    let used = DisplayWidth.of(self)
    return used >= width ? self + " " : self + String(repeating: " ", count: width - used)
  }

  /// Without trailing whitespace.
  public func trimmingTrailingWhitespace() -> String {
    var text = self
    while text.last?.isWhitespace == true { text.removeLast() }
    return text
  }

  /// Equal ignoring case (as `lowercased()` folds it), without lowering strings of different length.
  public func equalsIgnoringCase(_ other: String) -> Bool {
    utf8.count == other.utf8.count && lowercased() == other.lowercased()
  }
}
