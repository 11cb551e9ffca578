import Foundation
import TestSupport
import Testing
import Vocabulary

@testable import ScanAPI

/// The client's request building, retries and error mapping, over a scripted transport.
struct ClientTests {
  static let page = #"{"RequestId":"R","TotalCount":1,"PageSize":100,"CurrentPage":1,"List":[{"ScanId":"1"}]}"#

  static func client(
    _ transport: ScriptedTransport, method: ScanClient.Method = .post, clock: ManualClock = ManualClock(),
    credentials: Credentials = Credentials(accessKeyId: "testid", accessKeySecret: "testsecret"),
    events: EventRecorder = EventRecorder()
  ) throws -> ScanClient {
    ScanClient(
      configuration: .init(
        endpoint: try Endpoint("https://avds.aliyuncs.com"), credentials: credentials, method: method,
        retry: RetryPolicy(jitter: { $0 })),
      transport: transport, clock: clock, events: events.sink)
  }

  static func query(_ request: HTTPRequest) -> [String: String] {
    let query = URLComponents(url: request.url, resolvingAgainstBaseURL: false)!.percentEncodedQuery!
    return Dictionary(uniqueKeysWithValues: PercentEncoding.decodePairs(Substring(query), plusIsSpace: false)!)
  }

  @Test func postsLikeTheOfficialSDK() async throws {
    let transport = ScriptedTransport([ScriptedTransport.json(200, Self.page)])
    let client = try Self.client(
      transport, credentials: Credentials(accessKeyId: "testid", accessKeySecret: "testsecret", securityToken: "tok"))
    let request = DescribeScansRequest(
      currentPage: 2, pageSize: 50, search: "a b*c", statusList: ["running", "waiting"])
    _ = try await client.describeScans(request)
    let sent = try #require(transport.requests.first)
    #expect(sent.method == "POST")
    #expect(
      sent.url.absoluteString.hasPrefix(
        "https://avds.aliyuncs.com/?Action=DescribeScans&Version=2017-11-29&Format=JSON&AccessKeyId=testid&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce="
      ))
    #expect(
      String(decoding: sent.body!, as: UTF8.self)
        == "CurrentPage=2&PageSize=50&Search=a+b%2Ac&StatusList.1=running&StatusList.2=waiting")
    #expect(sent.headers["Content-Type"] == "application/x-www-form-urlencoded")
    let query = Self.query(sent)
    #expect(query["Timestamp"] == "2026-11-02T09:00:00Z")
    #expect(query["SecurityToken"] == "tok")
    // The signature covers query and body together.
    let signed = query.filter { $0.key != "Signature" }.map { ($0.key, $0.value) } + request.parameters
    #expect(query["Signature"] == Signer.signature(method: "POST", parameters: signed, secret: "testsecret"))
  }

  @Test func getsWithEverythingInTheQuery() async throws {
    let transport = ScriptedTransport([ScriptedTransport.json(200, Self.page)])
    _ = try await Self.client(transport, method: .get).describeScans(DescribeScansRequest(scanType: "vuln"))
    let sent = try #require(transport.requests.first)
    #expect(sent.method == "GET")
    #expect(sent.body == nil)
    #expect(Self.query(sent)["ScanType"] == "vuln")
  }

  @Test func retriesThrottlingHonouringRetryAfter() async throws {
    let throttled =
      #"{"RequestId":"T","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#
    let transport = ScriptedTransport([
      ScriptedTransport.json(400, throttled, headers: ["x-acs-retry-after": "1500"]),
      ScriptedTransport.json(503, #"{"Code":"ServiceUnavailable","Message":"later"}"#),
      .failure(.connectionLost("reset")),
      ScriptedTransport.json(200, Self.page),
    ])
    let clock = ManualClock()
    let events = EventRecorder()
    let result = try await Self.client(transport, clock: clock, events: events).describeScans(DescribeScansRequest())
    #expect(result.attempts == 4)
    #expect(result.wasThrottled)
    #expect(clock.sleeps == [.milliseconds(1500), .milliseconds(400), .milliseconds(800)])
    #expect(events.retries == 3)
    // Every attempt is signed afresh: no nonce is reused.
    let nonces = Set(transport.requests.map { Self.query($0)["SignatureNonce"]! })
    #expect(nonces.count == 4)
  }

  @Test func neverRetriesAuthErrors() async throws {
    let transport = ScriptedTransport([
      ScriptedTransport.json(
        400,
        #"{"RequestId":"A","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation."}"#
      )
    ])
    await #expect(
      throws: ScanAPIError.api(
        APIError(
          httpStatus: 400, code: "SignatureDoesNotMatch",
          message: "Specified signature is not matched with our calculation.", requestId: "A"),
        attempts: 1)
    ) {
      try await Self.client(transport).describeScans(DescribeScansRequest())
    }
    #expect(transport.requests.count == 1)
  }

  @Test func givesUpAfterTheAttemptCap() async throws {
    let throttled = ScriptedTransport.json(400, #"{"RequestId":"T","Code":"Throttling","Message":"busy"}"#)
    let transport = ScriptedTransport(Array(repeating: throttled, count: 10))
    do {
      _ = try await Self.client(transport).describeScans(DescribeScansRequest())
      Issue.record("expected an error")
    } catch let error as ScanAPIError {
      #expect(error.description == "Throttling: busy (HTTP 400, RequestId T, gave up after 6 attempts)")
    }
    #expect(transport.requests.count == 6)
  }

  @Test func anHTMLErrorPageIsNamed() async throws {
    let html = ScriptedTransport.json(502, "<html><head><title>502 Bad Gateway</title></head></html>")
    let transport = ScriptedTransport(Array(repeating: html, count: 6))
    do {
      _ = try await Self.client(transport).describeScans(DescribeScansRequest())
      Issue.record("expected an error")
    } catch let error as ScanAPIError {
      #expect(
        error.description
          == "HTTP502: the server answered HTTP 502 with a body that is not an API error: '<html><head><title>502 Bad Gateway</title></head></html>' (HTTP 502, gave up after 6 attempts)"
      )
    }
  }

  @Test func timeoutsAreRetriedOnlyOnce() async throws {
    let transport = ScriptedTransport(Array(repeating: .failure(.timedOut), count: 6))
    await #expect(
      throws: ScanAPIError.network(
        endpoint: "https://avds.aliyuncs.com/", reason: "no answer within the request timeout")
    ) {
      try await Self.client(transport).describeScans(DescribeScansRequest())
    }
    #expect(transport.requests.count == 2)
  }

  @Test func serverEchoesNeverLeakSecrets() async throws {
    let echo =
      #"{"Code":"IncompleteSignature","Message":"string to sign had SecurityToken=tok-SECRET and key prod-SECRET"}"#
    let transport = ScriptedTransport([ScriptedTransport.json(400, echo)])
    let credentials = Credentials(accessKeyId: "id", accessKeySecret: "prod-SECRET", securityToken: "tok-SECRET")
    do {
      _ = try await Self.client(transport, credentials: credentials).describeScans(DescribeScansRequest())
      Issue.record("a 400 answer was taken as a page")
    } catch {
      #expect("\(error)" == "IncompleteSignature: string to sign had SecurityToken=**** and key **** (HTTP 400)")
    }
  }

  @Test func timestampsAreUTC() {
    #expect(WireTimestamp.format(secondsSince1970: 1_456_231_584) == "2016-02-23T12:46:24Z")
  }
}
