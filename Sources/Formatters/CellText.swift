import Foundation
import ScanAPI

/// How a value reads in a table: times in the chosen zone, RunPercent as a percentage, lists joined.
public enum CellText {
  public static func text(_ value: FieldValue?, column: Column, utc: Bool) -> String {
    guard let value else { return "" }
    switch value {
    case .number(let number) where column.kind == .time:
      return time(milliseconds: number, utc: utc)
    case .number(let number) where column.name == "RunPercent":
      return FieldValue.format(number) + "%"
    case .list(let items):
      return items.map(clean).joined(separator: ", ")
    default:
      return clean(value.text)
    }
  }

  /// `2026-11-02 17:12` in local time, `2026-11-02 09:12Z` in UTC.
  public static func time(milliseconds: Double, utc: Bool) -> String {
    // A server may send any number; beyond some 30,000 years it is shown as it came.
    guard milliseconds.isFinite, abs(milliseconds) < 1e15 else { return FieldValue.format(milliseconds) }
    var seconds = time_t((milliseconds / 1000).rounded(.down))
    var parts = tm()
    if utc { gmtime_r(&seconds, &parts) } else { localtime_r(&seconds, &parts) }
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return
      "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min))"
      + (utc ? "Z" : "")
  }

  /// Control characters would break the grid.
  static func clean(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
    return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
  }

  /// Columns a terminal gives the text: East Asian wide characters take two, combining marks none.
  public static func width(_ text: String) -> Int {
    var width = 0
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: break
      case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
        0x1F900...0x1F9FF, 0x20000...0x3FFFD:
        width += 2
      default: width += 1
      }
    }
    return width
  }

  /// Cuts text to `limit` columns, ending in `…` when it had to cut.
  public static func truncate(_ text: String, to limit: Int) -> String {
    guard width(text) > limit else { return text }
    guard limit > 1 else { return limit == 1 ? "…" : "" }
    var result = ""
    var used = 0
    for character in text {
      let w = width(String(character))
      if used + w > limit - 1 { break }
      result.append(character)
      used += w
    }
    return result + "…"
  }

  public static func pad(_ text: String, to limit: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, limit - width(text)))
    return right ? padding + text : text + padding
  }
}
