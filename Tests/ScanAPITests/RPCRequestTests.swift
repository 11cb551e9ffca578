import Foundation
import Testing

@testable import ScanAPI

struct RPCRequestTests {
  static let endpoint = try! Endpoint("http://127.0.0.1:8765/")
  static let at = Date(timeIntervalSince1970: 1_793_610_000)

  @Test func aSignedPostPutsTheOperationInTheBodyAndSignsBoth() throws {
    let keys = Credentials(accessKeyId: "testid", accessKeySecret: "testsecret", securityToken: "tok")
    let rpc = RPCRequest(action: "DescribeScans", version: "2017-11-29", parameters: [("PageSize", "100")])
    let request = rpc.http(endpoint: Self.endpoint, signing: .signed(keys), at: Self.at, nonce: "n1")
    let query = try #require(request.url.query)
    #expect(
      query.hasPrefix(
        "Action=DescribeScans&Version=2017-11-29&Format=JSON&AccessKeyId=testid&SignatureMethod=HMAC-SHA1&"
          + "SignatureVersion=1.0&SignatureNonce=n1&Timestamp=2026-11-02T09%3A00%3A00Z&SecurityToken=tok&Signature="))
    #expect(String(decoding: request.body ?? Data(), as: UTF8.self) == "PageSize=100")
    #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
    let common = query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
      .filter { $0[0] != "Signature" }.map { ($0[0], $0[1].removingPercentEncoding!) }
    let signature = query.components(separatedBy: "Signature=").last!.removingPercentEncoding!
    #expect(
      Signer.signature(method: "POST", parameters: common + [("PageSize", "100")], secret: "testsecret") == signature)
  }

  @Test func anUnsignedCallCarriesNoKeyNonceOrSignature() throws {
    let rpc = RPCRequest(
      action: "AssumeRoleWithOIDC", version: "2015-04-01", parameters: [("OIDCToken", "jwt")],
      shownKeys: ["RoleArn", "OIDCToken"])
    let request = rpc.http(endpoint: Self.endpoint, signing: .unsigned, at: Self.at)
    #expect(
      request.url.query == "Action=AssumeRoleWithOIDC&Version=2015-04-01&Format=JSON&Timestamp=2026-11-02T09%3A00%3A00Z"
    )
    #expect(rpc.shownParameters == ["OIDCToken=****"])
  }

  @Test func aGetPutsEverythingInTheQuery() throws {
    let rpc = RPCRequest(action: "DescribeScans", version: "2017-11-29", parameters: [("ScanId", "1")])
    let request = rpc.http(
      endpoint: Self.endpoint, method: .get, signing: .signed(Credentials(accessKeyId: "i", accessKeySecret: "s")),
      at: Self.at)
    #expect(request.body == nil)
    #expect(request.url.query?.contains("&ScanId=1&Signature=") == true)
    #expect(rpc.shownParameters == ["ScanId=1"])
  }
}

struct UserAgentTests {
  @Test func theClientSendsTheUserAgentItIsGiven() {
    var configuration = ScanClient.Configuration(
      endpoint: RPCRequestTests.endpoint, credentials: Credentials(accessKeyId: "i", accessKeySecret: "s"))
    #expect(
      ScanClient(configuration: configuration, transport: NIOTransport())
        .signedRequest(DescribeScansRequest(), with: Credentials(accessKeyId: "i", accessKeySecret: "s"))
        .headers["User-Agent"] == "scansh")
    configuration.userAgent = "scansh/0.1.0"
    #expect(
      ScanClient(configuration: configuration, transport: NIOTransport())
        .signedRequest(DescribeScansRequest(), with: Credentials(accessKeyId: "i", accessKeySecret: "s"))
        .headers["User-Agent"] == "scansh/0.1.0")
  }
}
