import Crypto
import Foundation

/// Alibaba Cloud RPC signature version 1.0 (HMAC-SHA1).
public enum Signer {
  /// Every parameter but `Signature`, encoded, sorted by key in byte order, joined `k=v` with `&`.
  public static func canonicalQuery(_ parameters: [(String, String)]) -> String {
    parameters
      .filter { $0.0 != "Signature" }
      .map { (key: PercentEncoding.encode($0.0), value: PercentEncoding.encode($0.1)) }
      .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
      .map { $0.key + "=" + $0.value }
      .joined(separator: "&")
  }

  /// `METHOD&%2F&percentEncode(canonicalQuery)`.
  public static func stringToSign(method: String, parameters: [(String, String)]) -> String {
    method.uppercased() + "&%2F&" + PercentEncoding.encode(canonicalQuery(parameters))
  }

  /// Base64 of HMAC-SHA1 over the string to sign, keyed with `secret + "&"`.
  public static func signature(method: String, parameters: [(String, String)], secret: String) -> String {
    let key = SymmetricKey(data: Data((secret + "&").utf8))
    let code = HMAC<Insecure.SHA1>.authenticationCode(
      for: Data(stringToSign(method: method, parameters: parameters).utf8), using: key)
    return Data(code).base64EncodedString()
  }
}
