/// RFC 3986 percent-encoding as Alibaba Cloud's RPC signature needs it: UTF-8, and only
/// `A-Z a-z 0-9 - _ . ~` left as they are (so a space is `%20`, `*` is `%2A`, `~` stays).
public enum PercentEncoding {
  public static func encode(_ text: String) -> String {
    var output: [UInt8] = []
    append(text.utf8, to: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// `application/x-www-form-urlencoded`, as the official SDK writes bodies: space as `+`.
  public static func formEncode(_ text: String) -> String {
    var output: [UInt8] = []
    append(text.utf8, to: &output, form: true)
    return String(decoding: output, as: UTF8.self)
  }

  /// `k=v&k=v`, every key and value encoded: a query string, or with `form` a form body.
  public static func pairs(_ pairs: [(String, String)], form: Bool = false) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(pairs.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 2 } * 5 / 4)
    for (index, pair) in pairs.enumerated() {
      if index > 0 { output.append(UInt8(ascii: "&")) }
      append(pair.0.utf8, to: &output, form: form)
      output.append(UInt8(ascii: "="))
      append(pair.1.utf8, to: &output, form: form)
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Appends `bytes` encoded; with `form`, a space as `+`.
  static func append(_ bytes: some Sequence<UInt8>, to output: inout [UInt8], form: Bool = false) {
    for byte in bytes {
      if isUnreserved(byte) {
        output.append(byte)
      } else if form && byte == UInt8(ascii: " ") {
        output.append(UInt8(ascii: "+"))
      } else {
        output.append(UInt8(ascii: "%"))
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 0xF)])
      }
    }
  }

  private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

  /// Decodes `%XX` and, when `plusIsSpace`, `+`; nil when the escapes do not make UTF-8.
  public static func decode(_ text: Substring, plusIsSpace: Bool) -> String? {
    var output: [UInt8] = []
    output.reserveCapacity(text.utf8.count)
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
      switch byte {
      case UInt8(ascii: "%"):
        guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
          return nil
        }
        output.append(high << 4 | low)
      case UInt8(ascii: "+") where plusIsSpace:
        output.append(UInt8(ascii: " "))
      default:
        output.append(byte)
      }
    }
    return String(validating: output, as: UTF8.self)
  }

  /// Splits `a=1&b=2` into decoded pairs, in order; nil when any part is not valid.
  public static func decodePairs(_ text: Substring, plusIsSpace: Bool) -> [(String, String)]? {
    var pairs: [(String, String)] = []
    for part in text.split(separator: "&", omittingEmptySubsequences: true) {
      let key: Substring
      let value: Substring
      if let equals = part.firstIndex(of: "=") {
        key = part[..<equals]
        value = part[part.index(after: equals)...]
      } else {
        key = part
        value = ""
      }
      guard let decodedKey = decode(key, plusIsSpace: plusIsSpace),
        let decodedValue = decode(value, plusIsSpace: plusIsSpace)
      else { return nil }
      pairs.append((decodedKey, decodedValue))
    }
    return pairs
  }

  private static func isUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
      UInt8(ascii: "~"):
      true
    default: false
    }
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
