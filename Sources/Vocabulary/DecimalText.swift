/// Numbers written with a fixed count of decimals, as `printf("%.Nf")` writes them: JUnit's
/// seconds, a report's size. Written here because `String(format:)` is the older Foundation's,
/// which links CoreFoundation and ICU into the binary (docs/design.md, "The binary").
public enum DecimalText {
  /// `value` rounded to `places` decimals, a tie to even as printf does: `fixed(1.25, places: 1)` is
  /// `1.2`, `fixed(1.35, places: 1)` `1.4`; `-0.04` at one place is `-0.0`, as printf writes it.
  public static func fixed(_ value: Double, places: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
    var scale: Double = 1
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(value) * scale).rounded(.toNearestOrEven)
    guard scaled < 9.0e18 else { return "\(value)" }
    let digits = String(UInt64(scaled))
    let padded = String(repeating: "0", count: max(0, places + 1 - digits.count)) + digits
    let whole = padded.dropLast(places)
    let sign = value.sign == .minus ? "-" : ""
    return places == 0 ? sign + whole : sign + whole + "." + padded.suffix(places)
  }
}
