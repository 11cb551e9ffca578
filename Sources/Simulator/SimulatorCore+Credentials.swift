import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// STS (AssumeRole, AssumeRoleWithOIDC) and the ECS instance metadata service on the simulator's
/// port, issuing short-lived credentials that DescribeScans accepts until they expire.
extension SimulatorCore {
  static let stsVersion = "2015-04-01"

  func sts(method: String, parameters pairs: [(String, String)]) -> SimResponse {
    requestLog.countRequest()
    let parameters = Dictionary(pairs, uniquingKeysWith: { $1 })
    let requestId = random.uuid().uppercased()
    let response: SimResponse
    switch assume(method: method, pairs: pairs, parameters) {
    case .success(let issued): response = .json(200, Array(issued.utf8))
    case .failure(let rejection):
      response = ResponseEncoder(format: .json, flat: true).error(
        status: rejection.status, code: rejection.code, message: rejection.message, requestId: requestId,
        host: "sts.aliyuncs.com")
    }
    requestLog.record(method: method, pairs: pairs, status: response.status, code: response.code)
    return response
  }

  private func assume(method: String, pairs: [(String, String)], _ parameters: [String: String]) -> Result<
    String, Rejection
  > {
    guard parameters["Version"] == Self.stsVersion else {
      return .failure(
        Rejection(status: 400, code: "InvalidVersion", message: "Specified parameter Version is not valid."))
    }
    let action = parameters["Action"] ?? ""
    if action == "AssumeRole" {
      if let rejection = authenticator.authenticate(
        method: method, pairs: pairs, parameters: parameters, now: wallClock())
      {
        return .failure(rejection)
      }
    } else if action == "AssumeRoleWithOIDC" {
      guard parameters["OIDCProviderArn"]?.isEmpty == false else { return .failure(.missing("OIDCProviderArn")) }
      guard parameters["OIDCToken"] == configuration.oidcToken else {
        return .failure(
          Rejection(status: 400, code: "AuthenticationFail.OIDCToken.Invalid", message: "The OIDCToken is invalid."))
      }
    } else {
      return .failure(
        Rejection(
          status: 404, code: "InvalidAction.NotFound",
          message: "Specified api is not found, please check your url and method."))
    }
    guard let roleArn = parameters["RoleArn"], !roleArn.isEmpty else { return .failure(.missing("RoleArn")) }
    guard configuration.roles.contains(roleArn) || configuration.forbiddenRoles.contains(roleArn) else {
      return .failure(Rejection(status: 404, code: "EntityNotExist.Role", message: "The role not exists: \(roleArn)."))
    }
    guard !configuration.forbiddenRoles.contains(roleArn) else {
      return .failure(
        Rejection(
          status: 403, code: "NoPermission",
          message: "You are not authorized to do this action. You should be authorized by RAM."))
    }
    let session = parameters["RoleSessionName"] ?? ""
    let allowed = session.utf8.allSatisfy {
      ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || [0x2E, 0x40, 0x5F, 0x2D].contains($0)
    }
    guard (2...64).contains(session.count), allowed else {
      return .failure(
        Rejection(
          status: 400, code: "InvalidParameter.RoleSessionName",
          message: "The parameter RoleSessionName is wrongly formed."))
    }
    let asked = parameters["DurationSeconds"].flatMap(Int.init) ?? 3600
    guard asked >= 900 else {
      return .failure(
        Rejection(
          status: 400, code: "InvalidParameter.DurationSeconds",
          message: "The Min/Max value of DurationSeconds is 15min/1hr."))
    }
    let account = authenticator.account(of: parameters["AccessKeyId"] ?? "") ?? 0
    let issued = issue(lifetime: min(asked, configuration.credentialLifetime), account: account)
    return .success(
      "{\"RequestId\":\"\(random.uuid().uppercased())\",\"AssumedRoleUser\":{\"Arn\":\"\(roleArn)/\(session)\","
        + "\"AssumedRoleId\":\"3000000000000000:\(session)\"},\"Credentials\":\(issued)}")
  }

  /// New temporary credentials, remembered so DescribeScans accepts them; their JSON document.
  private func issue(lifetime seconds: Int, account: Int = 0) -> String {
    let id = "STS.\(random.uuid().replacingScalars("-", with: "").prefix(20))"
    let secret = random.uuid()
    let token = "CAIS" + random.uuid().replacingScalars("-", with: "")
    let expires = wallClock().addingTimeInterval(TimeInterval(seconds))
    authenticator.issue(id: id, .init(secret: secret, token: token, expires: expires, account: account))
    stsIssued += 1
    let expiration = WireTimestamp.format(secondsSince1970: expires.timeIntervalSince1970)
    return "{\"AccessKeyId\":\"\(id)\",\"AccessKeySecret\":\"\(secret)\",\"SecurityToken\":\"\(token)\","
      + "\"Expiration\":\"\(expiration)\"}"
  }

  /// The instance metadata paths: an IMDSv2 token, the role list, the role's credentials.
  func metadata(method: String, path: String) -> SimResponse {
    requestLog.countRequest()
    let prefix = "/latest/meta-data/ram/security-credentials/"
    let response: SimResponse
    switch (method, path) {
    case ("PUT", "/latest/api/token"):
      response = .plain(200, random.uuid())
    case ("GET", prefix), ("GET", String(prefix.dropLast())):
      response = .plain(200, configuration.ecsRole)
    case ("GET", prefix + configuration.ecsRole):
      let document = issue(lifetime: configuration.credentialLifetime)
      let now = WireTimestamp.format(secondsSince1970: wallClock().timeIntervalSince1970)
      response = .json(200, Array(("{\"Code\":\"Success\",\"LastUpdated\":\"\(now)\"," + document.dropFirst()).utf8))
    default:
      response = .plain(404, "Not Found")
    }
    requestLog.record(method: method, pairs: [("path", path)], status: response.status, code: nil)
    return response
  }
}

extension SimResponse {
  static func plain(_ status: Int, _ text: String) -> SimResponse {
    SimResponse(status: status, contentType: "text/plain", body: Array(text.utf8))
  }
}
