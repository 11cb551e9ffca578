/// Durations as scansh writes them everywhere: `250ms`, `30s`, `5m`, `2h`, `1d` (also `1.5s`).
public enum DurationText {
  public static let units: [(suffix: String, milliseconds: Double)] = [
    ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
  ]

  public static func parse(_ text: String) -> Duration? {
    for (suffix, factor) in units.sorted(by: { $0.suffix.count > $1.suffix.count }) where text.hasSuffix(suffix) {
      let number = text.dropLast(suffix.count)
      guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
        let value = Double(number), value.isFinite, value * factor <= 1e15
      else { return nil }
      return .milliseconds(Int64((value * factor).rounded()))
    }
    return nil
  }

  /// The shortest exact spelling: `90s` → `1m30s` is not attempted; `90000ms` prints `90s`.
  public static func format(_ duration: Duration) -> String {
    let milliseconds = Int64(duration / .milliseconds(1))
    for (suffix, factor) in units.reversed() where milliseconds != 0 && milliseconds % Int64(factor) == 0 {
      return "\(milliseconds / Int64(factor))\(suffix)"
    }
    return "\(milliseconds)ms"
  }
}
