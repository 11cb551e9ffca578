/// Text broken at spaces to fit a width, as `help` prints it: a continuation line starts under
/// the line's text column, so a summary beside a name stays a column.
public enum WordWrap {
  public static func wrap(_ text: String, width: Int) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { wrapLine(String($0), width: width) }
      .joined(separator: "\n")
  }

  /// One line. Its head (indentation, and a name followed by two or more spaces) is kept whole;
  /// the words after it fill lines of at most `width` columns. A word wider than a line is not cut.
  static func wrapLine(_ line: String, width: Int) -> String {
    guard width > 0, DisplayWidth.of(line) > width else { return line }
    let (head, rest, hangWidth) = split(line)
    let hang = String(repeating: " ", count: hangWidth < width / 2 ? hangWidth : 2)
    var lines: [String] = []
    var current = head
    var currentWidth = DisplayWidth.of(head)
    var startsLine = true
    for word in rest.split(separator: " ") {
      let wordWidth = DisplayWidth.of(word)
      if !startsLine, currentWidth + 1 + wordWidth > width {
        lines.append(current)
        current = hang
        currentWidth = hang.count
        startsLine = true
      }
      if !startsLine {
        current += " "
        currentWidth += 1
      }
      current += word
      currentWidth += wordWidth
      startsLine = false
    }
    lines.append(current)
    return lines.joined(separator: "\n")
  }

  /// The head: leading spaces, then, when a run of two or more spaces follows the first words, up
  /// to the end of that run, where continuation lines start; a line without such a run continues
  /// two columns in from its indentation.
  private static func split(_ line: String) -> (head: String, rest: Substring, hang: Int) {
    let characters = Array(line)
    let indent = characters.prefix { $0 == " " }.count
    var index = indent
    while index + 1 < characters.count {
      if characters[index] == " ", characters[index + 1] == " " {
        var end = index
        while end < characters.count, characters[end] == " " { end += 1 }
        let offset = line.index(line.startIndex, offsetBy: end)
        let head = String(line[..<offset])
        return (head, line[offset...], DisplayWidth.of(head))
      }
      index += 1
    }
    let offset = line.index(line.startIndex, offsetBy: indent)
    return (String(repeating: " ", count: indent), line[offset...], indent + 2)
  }
}
