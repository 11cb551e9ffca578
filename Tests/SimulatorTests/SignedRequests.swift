import Foundation
import ScanAPI
import Simulator
import TestSupport
import Vocabulary

/// Hand-built requests, signed or deliberately not, for testing the simulator's checks.
struct SignedRequests {
  let simulator: RunningSimulator
  var accessKeyId = "testid"
  var secret = "testsecret"
  var method = "POST"

  func common(nonce: String = UUID().uuidString, timestamp: Date = Date(), format: String? = "JSON") -> [(
    String, String
  )] {
    var parameters: [(String, String)] = [
      ("Action", "DescribeScans"), ("Version", "2017-11-29"), ("AccessKeyId", accessKeyId),
      ("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0"), ("SignatureNonce", nonce),
      ("Timestamp", WireTimestamp.format(secondsSince1970: timestamp.timeIntervalSince1970)),
    ]
    if let format { parameters.append(("Format", format)) }
    return parameters
  }

  /// Signs `common + operation` (unless `signature` is given) and sends it; returns status and body.
  func send(
    _ operation: [(String, String)] = [], common: [(String, String)]? = nil, signature: String? = nil
  ) async throws -> (status: Int, body: String, headers: [String: String]) {
    let common = common ?? self.common()
    let signed = signature ?? Signer.signature(method: method, parameters: common + operation, secret: secret)
    let query = method == "GET" ? common + operation + [("Signature", signed)] : common + [("Signature", signed)]
    let body = method == "POST" ? Data(PercentEncoding.pairs(operation, form: true).utf8) : nil
    let response = try await NIOTransport().send(
      HTTPRequest(
        method: method, url: URL(string: simulator.endpoint + "?" + PercentEncoding.pairs(query))!,
        headers: ["Content-Type": "application/x-www-form-urlencoded"], body: body))
    return (response.status, String(decoding: response.body, as: UTF8.self), response.headers)
  }

  func code(_ operation: [(String, String)] = [], common: [(String, String)]? = nil, signature: String? = nil)
    async throws -> String
  {
    let answer = try await send(operation, common: common, signature: signature)
    guard let error = ResponseDecoder.apiError(from: Data(answer.body.utf8), httpStatus: answer.status) else {
      return "\(answer.status)"
    }
    return "\(answer.status) \(error.code)"
  }

  func page(_ operation: [(String, String)] = [], format: ResponseFormat = .json) async throws -> ScanPage {
    let answer = try await send(operation, common: common(format: format.rawValue))
    return try ResponseDecoder.page(from: Data(answer.body.utf8), format: format)
  }
}
