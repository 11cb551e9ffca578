import Vocabulary

/// Renders a diagnostic the same way in the REPL and in scripts:
///
///     ci.scansh:3:14: error: unknown field 'RunPrecent'
///       scans | sort RunPrecent desc
///                    ^^^^^^^^^^
///     help: did you mean 'RunPercent'?
///
/// The `FILE:LINE:COL:` prefix appears when the source has a name (scripts, `-c`, stdin).
public enum DiagnosticRenderer {
  public static func render(_ diagnostic: Diagnostic, in source: SourceText, severity: String = "error") -> String {
    var text = ""
    if let name = source.name {
      let (line, column) = source.location(of: diagnostic.span.start)
      text += "\(name):\(line):\(column): "
    }
    text += "\(severity): \(diagnostic.message)\n"
    let lineRange = source.lineRange(containing: diagnostic.span.start)
    let line = String(decoding: source.bytes[lineRange], as: UTF8.self)
    let before = String(decoding: source.bytes[lineRange.lowerBound..<diagnostic.span.start], as: UTF8.self)
    let spanEnd = min(diagnostic.span.end, lineRange.upperBound)
    let under = String(
      decoding: source.bytes[diagnostic.span.start..<max(diagnostic.span.start, spanEnd)], as: UTF8.self)
    // A webhook URL on the line is masked, to its length: the caret stays where it was.
    text += "  " + SecretText.maskURLs(in: line.replacingTabs(), keepLength: true) + "\n"
    text +=
      "  " + String(repeating: " ", count: DisplayWidth.of(before))
      + String(repeating: "^", count: max(1, DisplayWidth.of(under))) + "\n"
    if let help = diagnostic.help { text += "help: \(help)\n" }
    return text
  }

  public static func render(_ diagnostics: Diagnostics) -> String {
    diagnostics.items.map { render($0, in: diagnostics.source) }.joined()
  }

  /// Columns a terminal gives the text: East Asian wide characters take two.
  public static func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { width, scalar in
      switch scalar.value {
      case 0x09: width + 1
      case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: width
      case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
        0x1F900...0x1F9FF, 0x20000...0x3FFFD:
        width + 2
      default: width + 1
      }
    }
  }
}

extension String {
  func replacingTabs() -> String {
    String(map { $0 == "\t" ? " " : $0 })
  }
}
