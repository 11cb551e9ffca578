import Foundation
import Synchronization
import TestSupport
import Testing

@testable import ScanAPI

/// Temporary credentials: fetched once however many requests need them, refreshed before they
/// expire, and fetched again when the server says the token expired. Time is a manual clock shared
/// by the client, the provider and the simulator, so expiry is reached without waiting.
struct CredentialRefreshTests {
  final class Counter: Sendable {
    let count = Mutex(0)
    func next() -> Int {
      count.withLock {
        $0 += 1
        return $0
      }
    }
    var value: Int { count.withLock { $0 } }
  }

  @Test func oneFetchServesConcurrentRequestsAndRefreshesBeforeExpiry() async throws {
    let clock = ManualClock()
    let fetches = Counter()
    let provider = RefreshingCredentialProvider(now: clock.now) {
      let number = fetches.next()
      try await Task.sleep(for: .milliseconds(20))
      return TemporaryCredentials(
        Credentials(accessKeyId: "STS.\(number)", accessKeySecret: "s", securityToken: "t"),
        expiration: clock.now().addingTimeInterval(30))
    }
    let ids = try await withThrowingTaskGroup(of: String.self) { group in
      for _ in 0..<8 { group.addTask { try await provider.credentials().accessKeyId } }
      return try await group.reduce(into: [String]()) { $0.append($1) }
    }
    #expect(ids == Array(repeating: "STS.1", count: 8))
    #expect(fetches.value == 1)
    // Lifetime 30 s: the margin is a third of it, 10 s. At 19 s they are still fresh; at 21 s not.
    clock.advance(by: .seconds(19))
    #expect(try await provider.credentials().accessKeyId == "STS.1")
    clock.advance(by: .seconds(2))
    #expect(try await provider.credentials().accessKeyId == "STS.2")
    // Told the token expired: fetched again at once.
    await provider.invalidate()
    #expect(try await provider.credentials().accessKeyId == "STS.3")
    #expect(await provider.expiration() == clock.now().addingTimeInterval(30))
  }

  @Test func longLivedCredentialsRefresh180SecondsEarly() async throws {
    let clock = ManualClock()
    let fetches = Counter()
    let provider = RefreshingCredentialProvider(now: clock.now) {
      _ = fetches.next()
      return TemporaryCredentials(
        Credentials(accessKeyId: "STS", accessKeySecret: "s", securityToken: "t"),
        expiration: clock.now().addingTimeInterval(3600))
    }
    _ = try await provider.credentials()
    clock.advance(by: .seconds(3600 - 181))
    _ = try await provider.credentials()
    #expect(fetches.value == 1)
    clock.advance(by: .seconds(2))
    _ = try await provider.credentials()
    #expect(fetches.value == 2)
  }

  /// A two-hour listing on one-hour role credentials against the simulator: every page signed with
  /// live credentials, a bounded number of AssumeRole calls, no expired token ever sent.
  @Test func aLongRunNeverSendsAnExpiredToken() async throws {
    let clock = ManualClock()
    var configuration = TestSimulator.configuration()
    configuration.credentialLifetime = 3600
    try await TestSimulator.with(configuration, wallClock: clock.now) { simulator async throws in
      let transport = NIOTransport(timeout: .seconds(10))
      let sts = STSClient(endpoint: try Endpoint(simulator.endpoint), transport: transport, now: { clock.now() })
      let role = CredentialSpec.RoleRequest(
        roleArn: "acs:ram::1234567890123456:role/scanner", sessionName: "test", stsEndpoint: simulator.endpoint)
      let keys = Credentials(accessKeyId: "testid", accessKeySecret: "testsecret")
      let provider = RefreshingCredentialProvider(now: clock.now) {
        try await sts.assumeRole(role, with: keys, what: "AssumeRole for the test")
      }
      let client = ScanClient(
        configuration: .init(endpoint: try Endpoint(simulator.endpoint), credentials: provider, retry: .fast),
        transport: transport, clock: clock)
      // Every 5 simulated minutes for two hours, a listing of 3 pages, 8 at a time.
      for _ in 0..<24 {
        let listing = ScanListing(
          client: client, request: DescribeScansRequest(), options: .init(pageSize: 100, concurrency: 8))
        var rows = 0
        for try await _ in listing { rows += 1 }
        #expect(rows == 250)
        clock.advance(by: .seconds(300))
      }
      let stats = try await simulator.control("GET", "/_sim/stats")
      #expect(!stats.contains("InvalidSecurityToken"), "\(stats)")
      // Listings at 0…115 min on 1 h credentials refreshed 180 s early: fetched at 0 and at 60 min.
      #expect(stats.contains("\"credentialsIssued\":2}"), "\(stats)")
      #expect(
        stats.hasPrefix("{\"requests\":74,\"describeScans\":72,\"byAction\":{\"DescribeScans\":72},\"byCode\":{}"),
        "\(stats)")
    }
  }

  /// A provider whose first credentials the server calls expired: refreshed once, then accepted.
  @Test func anExpiredTokenRefreshesOnceAndRetries() async throws {
    final class Rotating: CredentialProvider, @unchecked Sendable {
      let invalidations = Mutex(0)
      func credentials() async throws -> Credentials {
        Credentials(accessKeyId: "STS.\(invalidations.withLock { $0 })", accessKeySecret: "s", securityToken: "t")
      }
      func invalidate() async { invalidations.withLock { $0 += 1 } }
      func expiration() async -> Date? { nil }
    }
    let expired =
      #"{"RequestId":"E","Code":"InvalidSecurityToken.Expired","Message":"Specified SecurityToken is expired."}"#
    let transport = ScriptedTransport([
      ScriptedTransport.json(400, expired),
      ScriptedTransport.json(200, #"{"TotalCount":1,"List":[{"ScanId":"1"}]}"#),
    ])
    let provider = Rotating()
    let client = ScanClient(
      configuration: .init(endpoint: try Endpoint("https://avds.aliyuncs.com"), credentials: provider),
      transport: transport, clock: ManualClock())
    let result = try await client.describeScans(DescribeScansRequest())
    #expect(result.page.scans.count == 1)
    #expect(provider.invalidations.withLock { $0 } == 1)
    #expect(transport.requests.map { ClientTests.query($0)["AccessKeyId"] } == ["STS.0", "STS.1"])
    // The same answer again after the refresh is final: no second refresh, no loop.
    let twice = ScriptedTransport([ScriptedTransport.json(400, expired), ScriptedTransport.json(400, expired)])
    let stubborn = ScanClient(
      configuration: .init(endpoint: try Endpoint("https://avds.aliyuncs.com"), credentials: Rotating()),
      transport: twice, clock: ManualClock())
    await #expect(throws: ScanAPIError.self) { try await stubborn.describeScans(DescribeScansRequest()) }
    #expect(twice.requests.count == 2)
  }
}
