#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Alibaba Cloud RPC signature version 1.0 (HMAC-SHA1).
public enum Signer {
  /// Every parameter but `Signature`, encoded, sorted by key in byte order, joined `k=v` with `&`.
  public static func canonicalQuery(_ parameters: [(String, String)]) -> String {
    String(decoding: canonicalBytes(parameters), as: UTF8.self)
  }

  /// `METHOD&%2F&percentEncode(canonicalQuery)`.
  public static func stringToSign(method: String, parameters: [(String, String)]) -> String {
    String(decoding: bytesToSign(method: method, parameters: parameters), as: UTF8.self)
  }

  /// Base64 of HMAC-SHA1 over the string to sign, keyed with `secret + "&"`.
  public static func signature(method: String, parameters: [(String, String)], secret: String) -> String {
    let code = HMACSHA1.authenticationCode(
      for: bytesToSign(method: method, parameters: parameters), key: Array((secret + "&").utf8))
    return Data(code).base64EncodedString()
  }

  private static func canonicalBytes(_ parameters: [(String, String)]) -> [UInt8] {
    var keyed: [(key: [UInt8], value: String)] = []
    keyed.reserveCapacity(parameters.count)
    for (key, value) in parameters where key != "Signature" {
      var encoded: [UInt8] = []
      PercentEncoding.append(key.utf8, to: &encoded)
      keyed.append((encoded, value))
    }
    keyed.sort { $0.key.lexicographicallyPrecedes($1.key) }
    var output: [UInt8] = []
    output.reserveCapacity(keyed.reduce(0) { $0 + $1.key.count + $1.value.utf8.count + 2 } * 5 / 4)
    for (index, pair) in keyed.enumerated() {
      if index > 0 { output.append(UInt8(ascii: "&")) }
      output += pair.key
      output.append(UInt8(ascii: "="))
      PercentEncoding.append(pair.value.utf8, to: &output)
    }
    return output
  }

  private static func bytesToSign(method: String, parameters: [(String, String)]) -> [UInt8] {
    let canonical = canonicalBytes(parameters)
    var output = Array(method.uppercased().utf8) + Array("&%2F&".utf8)
    output.reserveCapacity(output.count + canonical.count * 5 / 4)
    PercentEncoding.append(canonical, to: &output)
    return output
  }
}
