/// Durations as scansh writes them everywhere: `250ms`, `30s`, `5m`, `2h`, `1d` (also `1.5s`).
/// The lexer, the command line, the simulator's flags and relative times all read them here.
public enum DurationText {
  public static let units: [(suffix: String, milliseconds: Double)] = [
    ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
  ]

  /// Weeks too, for relative times (`now-2w`); not a duration elsewhere.
  public static let unitsWithWeeks = units + [("w", 604_800_000)]

  /// Beyond this (some 31,000 years) it is not a duration anyone means, and would overflow.
  public static let maxMilliseconds = 1e15

  public static func parse(_ text: some StringProtocol) -> Duration? {
    milliseconds(text).map { .milliseconds($0) }
  }

  /// `30s` → 30000: a plain decimal number (`digits[.digits]`) and a unit; nil for anything else,
  /// negative or past `maxMilliseconds`.
  public static func milliseconds(
    _ text: some StringProtocol, units: [(suffix: String, milliseconds: Double)] = units
  ) -> Int64? {
    for (suffix, factor) in units where text.hasSuffix(suffix) {
      if suffix == "s", text.hasSuffix("ms") { continue }
      guard let value = decimal(text.dropLast(suffix.count)), value * factor <= maxMilliseconds else { return nil }
      return Int64((value * factor).rounded())
    }
    return nil
  }

  /// `digits` or `digits.digits`, nothing else (no sign, exponent or lone dot).
  public static func decimal(_ text: some StringProtocol) -> Double? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count),
      parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } })
    else { return nil }
    return Double(String(text))
  }

  /// A duration as seconds, fractions kept.
  public static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  /// The shortest exact spelling: `90000ms` prints `90s` (`1m30s` is not attempted).
  public static func format(_ duration: Duration) -> String {
    let milliseconds = Int64(duration / .milliseconds(1))
    for (suffix, factor) in units.reversed() where milliseconds != 0 && milliseconds % Int64(factor) == 0 {
      return "\(milliseconds / Int64(factor))\(suffix)"
    }
    return "\(milliseconds)ms"
  }
}
