import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// How a value reads in a table: times in the chosen zone, RunPercent as a percentage, named codes
/// (a finding's Severity) by name, lists joined.
public enum CellText {
  public static func text(_ value: FieldValue?, column: Column, utc: Bool) -> String {
    guard let value else { return "" }
    switch value {
    case .number(let number) where column.kind == .time:
      return time(milliseconds: number, utc: utc)
    case .number(let number):
      if case .coded(let codes) = column.kind, let name = codes.name(of: number) { return name }
      if column.roles.contains(.progress) { return FieldValue.format(number) + "%" }
      return FieldValue.format(number)
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

  /// Cuts text to `limit` columns, ending in `…` when it had to cut.
  public static func truncate(_ text: String, to limit: Int) -> String {
    guard DisplayWidth.of(text) > limit else { return text }
    guard limit > 1 else { return limit == 1 ? "…" : "" }
    var result = ""
    var used = 0
    for character in text {
      let w = DisplayWidth.of(String(character))
      if used + w > limit - 1 { break }
      result.append(character)
      used += w
    }
    return result + "…"
  }

  public static func pad(_ text: String, to limit: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, limit - DisplayWidth.of(text)))
    return right ? padding + text : text + padding
  }
}
