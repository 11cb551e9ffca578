#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The API's `Timestamp` parameter, `yyyy-MM-ddTHH:mm:ssZ` in UTC: the client writes it, the
/// simulator reads it, and `sim --epoch` and watch's ndjson events use the same form.
public enum WireTimestamp {
  public static func format(secondsSince1970 seconds: Double) -> String {
    var time = time_t(seconds.rounded(.down))
    var parts = tm()
    gmtime_r(&time, &parts)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
      + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
  }

  /// Seconds since 1970 of exactly `yyyy-MM-ddTHH:mm:ssZ`; nil for anything else.
  public static func parse(_ text: String) -> Int64? {
    let utf8 = Array(text.utf8)
    guard utf8.count == 20, utf8[4] == 0x2D, utf8[7] == 0x2D, utf8[10] == 0x54, utf8[13] == 0x3A, utf8[16] == 0x3A,
      utf8[19] == 0x5A
    else { return nil }
    func number(_ range: Range<Int>) -> Int32? {
      guard utf8[range].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
      return Int32(String(decoding: utf8[range], as: UTF8.self))
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
      let minute = number(14..<16), let second = number(17..<19)
    else { return nil }
    return secondsSince1970(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
  }

  /// A UTC civil time in seconds since 1970, or nil when a part is out of range.
  public static func secondsSince1970(
    year: Int32, month: Int32, day: Int32, hour: Int32 = 0, minute: Int32 = 0, second: Int32 = 0
  ) -> Int64? {
    guard (1...12).contains(month), (1...31).contains(day), (0..<24).contains(hour), (0..<60).contains(minute),
      (0..<61).contains(second)
    else { return nil }
    var parts = tm()
    parts.tm_year = year - 1900
    parts.tm_mon = month - 1
    parts.tm_mday = day
    parts.tm_hour = hour
    parts.tm_min = minute
    parts.tm_sec = second
    return Int64(timegm(&parts))
  }
}
