import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A request's answer when it is turned away: the HTTP status and the API's code and message.
struct Rejection: Sendable, Equatable, Error {
  var status: Int
  var code: String
  var message: String

  static func missing(_ name: String) -> Rejection {
    Rejection(
      status: 400, code: "MissingParameter",
      message: "The input parameter \"\(name)\" that is mandatory for processing this request is not supplied.")
  }
}

/// Signature v1 authentication in the real service's order: the key, the signature, the
/// timestamp's form and window, then the nonce. A value: the clock is a parameter and the nonce
/// cache is its only state, so every rejection can be tested without a server.
struct Authenticator: Sendable {
  /// How far a request's Timestamp may be from real time, and how long nonces are remembered.
  static let window: TimeInterval = 15 * 60

  /// Each account's key pair; the index is the account's.
  let keyPairs: [(id: String, secret: String)]
  private var nonces = NonceCache()
  /// Temporary credentials STS issued: their secret, token and expiry.
  private var issued: [String: IssuedKey] = [:]

  struct IssuedKey: Sendable {
    var secret: String
    var token: String
    var expires: Date
    /// The account of the key pair (or role) it was issued for.
    var account = 0
  }

  mutating func issue(id: String, _ key: IssuedKey) { issued[id] = key }

  /// The signer the simulator accepted last: the configured key pair or an issued one.
  enum Caller: Equatable {
    case keyPair
    case issued(String)
  }

  init(accessKeyId: String, accessKeySecret: String) {
    self.init(keyPairs: [(accessKeyId, accessKeySecret)])
  }

  init(keyPairs: [(id: String, secret: String)]) {
    self.keyPairs = keyPairs
  }

  /// The account a key (a key pair's or an issued one) belongs to.
  func account(of key: String) -> Int? {
    issued[key]?.account ?? keyPairs.firstIndex { $0.id == key }
  }

  /// Accepts the request (remembering its nonce) or says why not. `parameters` is `pairs` by name.
  mutating func authenticate(
    method: String, pairs: [(String, String)], parameters: [String: String], now: Date
  ) -> Rejection? {
    guard let key = parameters["AccessKeyId"] else { return .missing("AccessKeyId") }
    let issuedKey = issued[key]
    let pair = keyPairs.first { $0.id == key }
    guard pair != nil || issuedKey != nil else {
      return Rejection(status: 404, code: "InvalidAccessKeyId.NotFound", message: "Specified access key is not found.")
    }
    guard let signature = parameters["Signature"] else { return .missing("Signature") }
    let secret = issuedKey?.secret ?? pair!.secret
    guard signature == Signer.signature(method: method, parameters: pairs, secret: secret) else {
      return Rejection(
        status: 400, code: "SignatureDoesNotMatch", message: "Specified signature is not matched with our calculation.")
    }
    if let issuedKey {
      guard parameters["SecurityToken"] == issuedKey.token else {
        return Rejection(
          status: 400, code: "InvalidSecurityToken.MismatchWithAccessKey",
          message: "Specified SecurityToken mismatch with the AccessKey.")
      }
      // As the real service answers a request signed with credentials past their expiry.
      guard now < issuedKey.expires else {
        return Rejection(
          status: 400, code: "InvalidSecurityToken.Expired", message: "Specified SecurityToken is expired.")
      }
    }
    guard let timestamp = parameters["Timestamp"] else { return .missing("Timestamp") }
    guard let seconds = WireTimestamp.parse(timestamp) else {
      return Rejection(
        status: 400, code: "InvalidTimeStamp.Format",
        message: "Specified time stamp or date value is not well formatted.")
    }
    guard abs(TimeInterval(seconds) - now.timeIntervalSince1970) <= Self.window else {
      return Rejection(
        status: 400, code: "InvalidTimeStamp.Expired", message: "Specified time stamp or date value is expired.")
    }
    guard let nonce = parameters["SignatureNonce"], !nonce.isEmpty else { return .missing("SignatureNonce") }
    guard nonces.remember(nonce, at: now, window: Self.window) else {
      return Rejection(status: 400, code: "SignatureNonceUsed", message: "Specified signature nonce was used already.")
    }
    return nil
  }
}

/// Nonces seen within the timestamp window; older ones are forgotten, oldest first.
struct NonceCache: Sendable {
  private var seen: [String: Date] = [:]
  private var order: [(String, Date)] = []
  private var cursor = 0

  var count: Int { seen.count }

  /// False when `nonce` was seen within `window` of `now`.
  mutating func remember(_ nonce: String, at now: Date, window: TimeInterval) -> Bool {
    while cursor < order.count, now.timeIntervalSince(order[cursor].1) > window {
      seen[order[cursor].0] = nil
      cursor += 1
    }
    if cursor > 4096 {
      order.removeFirst(cursor)
      cursor = 0
    }
    guard seen[nonce] == nil else { return false }
    seen[nonce] = now
    order.append((nonce, now))
    return true
  }
}
