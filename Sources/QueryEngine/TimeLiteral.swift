import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Times as the language writes them: `now`, `now-1d`, `now+2h`, `2024-07-10`,
/// `2024-07-10T10:00`, `2024-07-10T10:00:00Z`, `2024-07-10T10:00:00+08:00` (UTC unless a zone is given).
public enum TimeLiteral {
  /// Epoch milliseconds, relative to `now` for `now…` forms; nil when the text is not a time.
  public static func parse(_ text: String, now: Date) -> Int64? {
    let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded())
    let lowered = text.lowercased()
    if lowered == "now" { return nowMs }
    if lowered.hasPrefix("now-") || lowered.hasPrefix("now+") {
      guard let offset = DurationText.milliseconds(lowered.dropFirst(4), units: DurationText.unitsWithWeeks) else {
        return nil
      }
      return lowered.dropFirst(3).first == "-" ? nowMs - offset : nowMs + offset
    }
    return absolute(text)
  }

  static func absolute(_ text: String) -> Int64? {
    let characters = Array(text.utf8)
    func digits(_ range: Range<Int>) -> Int32? {
      guard range.upperBound <= characters.count, characters[range].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
        return nil
      }
      return Int32(String(decoding: characters[range], as: UTF8.self))
    }
    guard characters.count >= 10, characters[4] == 0x2D, characters[7] == 0x2D, let year = digits(0..<4),
      let month = digits(5..<7), let day = digits(8..<10)
    else { return nil }
    var (hour, minute, second): (Int32, Int32, Int32) = (0, 0, 0)
    var index = 10
    var zoneOffsetSeconds = 0
    if index < characters.count {
      guard characters[index] == 0x54 || characters[index] == 0x20, let hours = digits(11..<13), characters.count > 13,
        characters[13] == 0x3A, let minutes = digits(14..<16)
      else { return nil }
      (hour, minute) = (hours, minutes)
      index = 16
      if index < characters.count, characters[index] == 0x3A {
        guard let seconds = digits(17..<19) else { return nil }
        second = seconds
        index = 19
      }
      if index < characters.count {
        switch characters[index] {
        case 0x5A where index == characters.count - 1: break
        case 0x2B, 0x2D:
          guard characters.count == index + 6, characters[index + 3] == 0x3A,
            let hours = digits((index + 1)..<(index + 3)),
            let minutes = digits((index + 4)..<(index + 6))
          else { return nil }
          zoneOffsetSeconds = Int(hours) * 3600 + Int(minutes) * 60
          if characters[index] == 0x2D { zoneOffsetSeconds = -zoneOffsetSeconds }
        default: return nil
        }
      }
    }
    guard
      let seconds = WireTimestamp.secondsSince1970(
        year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    else { return nil }
    return (seconds - Int64(zoneOffsetSeconds)) * 1000
  }
}
