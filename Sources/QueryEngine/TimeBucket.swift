import QueryLanguage
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Time buckets for `group … by`, on the session's local clock (or UTC): a bucket starts at a
/// multiple of its interval (`by 1d` at midnight), at an hour, a day, a Monday or a month's first
/// day. Buckets are kept as their start on that clock, in milliseconds, and named by it.
enum TimeBucket {
  static let hour: Int64 = 3_600_000
  static let day: Int64 = 86_400_000

  /// The start of the bucket holding the epoch-milliseconds `time`, on the local clock.
  static func start(of time: Int64, _ bucket: GroupBucket, utc: Bool) -> Int64 {
    let wall = time + offsetMs(at: time, utc: utc)
    switch bucket {
    case .every(let interval): return floor(wall, interval)
    case .calendar(.hour): return floor(wall, hour)
    case .calendar(.day): return floor(wall, day)
    case .calendar(.week):
      // 1970-01-01 was a Thursday: three days on from a Monday.
      let days = floor(wall, day) / day
      return (days - floorMod(days + 3, 7)) * day
    case .calendar(.month):
      let parts = civil(wall)
      return WireTimestamp.secondsSince1970(year: parts.year, month: parts.month, day: 1)! * 1000
    }
  }

  /// The start of the bucket after the one starting at `start`.
  static func next(after start: Int64, _ bucket: GroupBucket) -> Int64 {
    switch bucket {
    case .every(let interval): return start + interval
    case .calendar(.hour): return start + hour
    case .calendar(.day): return start + day
    case .calendar(.week): return start + 7 * day
    case .calendar(.month):
      let parts = civil(start)
      let (year, month) = parts.month == 12 ? (parts.year + 1, Int32(1)) : (parts.year, parts.month + 1)
      return WireTimestamp.secondsSince1970(year: year, month: month, day: 1)! * 1000
    }
  }

  /// `2026-11-28` for buckets of whole days, `2026-11` for months, `2026-11-28 14:00` otherwise.
  static func label(_ start: Int64, _ bucket: GroupBucket) -> String {
    let parts = civil(start)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let month = "\(parts.year)-\(two(parts.month))"
    switch bucket {
    case .calendar(.month): return month
    case .calendar(.day), .calendar(.week): return month + "-\(two(parts.day))"
    case .every(let interval) where interval % day == 0: return month + "-\(two(parts.day))"
    case .every, .calendar(.hour): return month + "-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
    }
  }

  private static func floor(_ value: Int64, _ interval: Int64) -> Int64 {
    value - floorMod(value, interval)
  }

  private static func floorMod(_ value: Int64, _ divisor: Int64) -> Int64 {
    ((value % divisor) + divisor) % divisor
  }

  private static func civil(_ time: Int64) -> (year: Int32, month: Int32, day: Int32, hour: Int32, minute: Int32) {
    var seconds = time_t(floor(time, 1000) / 1000)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    return (parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min)
  }

  /// The local zone's offset from UTC at `time`, in milliseconds.
  static func offsetMs(at time: Int64, utc: Bool) -> Int64 {
    guard !utc else { return 0 }
    var seconds = time_t(floor(time, 1000) / 1000)
    var parts = tm()
    localtime_r(&seconds, &parts)
    return Int64(parts.tm_gmtoff) * 1000
  }
}
