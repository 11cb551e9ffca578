/// An AccessKey pair, with an STS token when the key is temporary. Printing it shows only the
/// masked key ID; the secret and token are reachable only by the signer.
public struct Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
  public let accessKeyId: String
  public let accessKeySecret: String
  public let securityToken: String?

  public init(accessKeyId: String, accessKeySecret: String, securityToken: String? = nil) {
    self.accessKeyId = accessKeyId
    self.accessKeySecret = accessKeySecret
    self.securityToken = securityToken?.isEmpty == true ? nil : securityToken
  }

  /// The simulator's test key pair for its account `account` (0-based): `testid`/`testsecret`, then
  /// `testid2`/`testsecret2` and on. Test keys, not secrets: the simulator accepts them and demo
  /// mode signs with them.
  public static func simulatorTestKeys(account: Int) -> Credentials {
    let suffix = account == 0 ? "" : String(account + 1)
    return Credentials(accessKeyId: "testid" + suffix, accessKeySecret: "testsecret" + suffix)
  }

  /// `LTAI****abcd`: enough to tell keys apart, not enough to use one.
  public var maskedAccessKeyId: String { Self.mask(accessKeyId) }

  public static func mask(_ id: String) -> String {
    id.count >= 12 ? id.prefix(4) + "****" + id.suffix(4) : "****" + id.suffix(min(2, id.count / 3))
  }

  /// The strings that must never be shown, for redacting anything a server echoes back.
  public var secrets: [String] { [accessKeySecret] + (securityToken.map { [$0] } ?? []) }

  public var description: String {
    "AccessKey \(maskedAccessKeyId)" + (securityToken == nil ? "" : " with an STS token")
  }

  public var debugDescription: String { description }
}
