import Foundation
import Synchronization
import TestSupport
import Testing

@testable import ScanAPI

/// The paging engine against the real simulator over loopback.
struct ListingTests {
  static func collect(_ listing: ScanListing) async throws -> [Scan] {
    var scans: [Scan] = []
    for try await scan in listing { scans.append(scan) }
    return scans
  }

  /// The expected order: one page after another, one request per page, no concurrency.
  static func sequential(_ client: ScanClient, _ request: DescribeScansRequest = .init()) async throws -> [Scan] {
    var scans: [Scan] = []
    var page = 1
    while true {
      var pageRequest = request
      pageRequest.currentPage = page
      pageRequest.pageSize = 7
      let result = try await client.describeScans(pageRequest)
      scans += result.page.scans
      if result.page.scans.isEmpty { return scans }
      page += 1
    }
  }

  @Test func everyRowOnceAndInOrder() async throws {
    try await TestSimulator.with(TestSimulator.configuration { $0.scanCount = 1_234 }) { simulator in
      let probe = ConcurrencyProbe(NIOTransport())
      let client = try simulator.client(transport: probe)
      let scans = try await Self.collect(ScanListing(client: client, request: .init(), options: .init(concurrency: 4)))
      #expect(scans.count == 1_234)
      #expect(Set(scans.compactMap(\.scanId)).count == 1_234)
      #expect(scans == (try await Self.sequential(try simulator.client())))
      #expect(probe.total == 13)
      #expect(probe.peak <= 4)
      #expect(probe.peak > 1)
    }
  }

  @Test func honoursTheServersSmallerPageSize() async throws {
    try await TestSimulator.with(
      TestSimulator.configuration {
        $0.scanCount = 120
        $0.maxPageSize = 50
      }
    ) { simulator in
      let scans = try await Self.collect(ScanListing(client: try simulator.client(), request: .init()))
      #expect(scans.count == 120)
      let pages = try await simulator.loggedParameters().map { $0["PageSize"] }
      #expect(pages == ["100", "50", "50"])
    }
  }

  @Test func throttlingNarrowsTheWindow() async throws {
    try await TestSimulator.with(TestSimulator.configuration { $0.scanCount = 2_000 }) { simulator in
      // Page 1 is throttled once: the rest of the listing fetches at most 4 pages at a time, not 8.
      try await simulator.control("POST", "/_sim/throttle?next=1&retryAfter=1")
      let probe = ConcurrencyProbe(NIOTransport())
      let client = try simulator.client(transport: probe)
      let scans = try await Self.collect(ScanListing(client: client, request: .init(), options: .init(concurrency: 8)))
      #expect(scans.count == 2_000)
      #expect(probe.peak <= 4)
    }
  }

  @Test func filtersAndLimitStopEarly() async throws {
    try await TestSimulator.with(TestSimulator.configuration { $0.scanCount = 500 }) { simulator in
      let request = DescribeScansRequest(statusList: ["finished"])
      let scans = try await Self.collect(
        ScanListing(client: try simulator.client(), request: request, options: .init(limit: 10)))
      #expect(scans.count == 10)
      #expect(scans.allSatisfy { $0[.status] == .string("finished") })
      #expect(
        try await simulator.loggedParameters() == [["CurrentPage": "1", "PageSize": "10", "StatusList.1": "finished"]])
    }
  }

  /// `nextRows()` hands over what `next()` would, a page's rows at once, and honours the limit.
  @Test(arguments: [nil, 75, 100, 130])
  func rowsARunAtATimeAreTheRowsOneAtATime(_ limit: Int?) async throws {
    try await TestSimulator.with(TestSimulator.configuration { $0.scanCount = 250 }) { simulator in
      let options = ScanListing.Options(pageSize: 50, concurrency: 3, limit: limit)
      let listing = ScanListing(client: try simulator.client(), request: .init(), options: options)
      var iterator = listing.makeAsyncIterator()
      var runs: [[Scan]] = []
      while let run = try await iterator.nextRows() { runs.append(Array(run)) }
      #expect(runs.count == (limit.map { ($0 + 49) / 50 } ?? 5))
      #expect(runs.dropLast().allSatisfy { $0.count == 50 })
      #expect(runs.flatMap { $0 } == (try await Self.collect(listing)))
      #expect(runs.flatMap { $0 }.count == limit ?? 250)
    }
  }

  @Test func driftIsWarnedAboutAndNothingRepeats() async throws {
    try await TestSimulator.with(
      TestSimulator.configuration {
        $0.scanCount = 300
        $0.drift = 3
      }
    ) { simulator in
      let events = EventRecorder()
      let client = try simulator.client(events: events.sink)
      let scans = try await Self.collect(
        ScanListing(client: client, request: .init(), options: .init(pageSize: 50, concurrency: 1)))
      #expect(Set(scans.compactMap(\.scanId)).count == scans.count)
      #expect(scans.count >= 300)
      #expect(events.warnings.count == 1)
      #expect(events.warnings.first?.hasPrefix("the scan list changed while it was read: read ") == true)
      #expect(events.warnings.first?.contains("TotalCount said 300 at first") == true)
    }
  }

  @Test func injectedThrottlingAndOutagesLoseNothing() async throws {
    try await TestSimulator.with(
      TestSimulator.configuration {
        $0.scanCount = 800
        $0.throttleRate = 0.3
        $0.errorRate = 0.1
        $0.jitter = .milliseconds(3)
      }
    ) {
      simulator in
      let events = EventRecorder()
      let client = try simulator.client(
        retry: RetryPolicy(maxAttempts: 30, baseDelay: .milliseconds(1), maxDelay: .milliseconds(10)),
        events: events.sink)
      let scans = try await Self.collect(ScanListing(client: client, request: .init(), options: .init(pageSize: 40)))
      #expect(scans.count == 800)
      #expect(Set(scans.compactMap(\.scanId)).count == 800)
      #expect(events.retries > 0)
    }
  }

  @Test func aServerRepeatingOnePageIsStopped() async throws {
    let page = #"{"TotalCount":1000000000,"PageSize":2,"CurrentPage":1,"List":[{"ScanId":"a"},{"ScanId":"b"}]}"#
    let server = try HostileServer { _ in .json(200, page) }
    defer { server.stop() }
    let client = ScanClient(
      configuration: .init(
        endpoint: try Endpoint(server.endpoint), credentials: Credentials(accessKeyId: "i", accessKeySecret: "s")),
      transport: NIOTransport())
    var seen: [String] = []
    do {
      for try await scan in ScanListing(client: client, request: .init(), options: .init(concurrency: 2)) {
        seen.append(scan.scanId ?? "")
      }
      Issue.record("expected an error")
    } catch let error as ScanAPIError {
      #expect(
        error.description
          == "malformed response: page 2 repeated rows already read and added none, though TotalCount promises 1000000000 scans; stopped instead of reading the same rows again"
      )
    }
    #expect(seen == ["a", "b"])
  }

  /// The answer would take an hour: only cancelling the request in flight ends the listing
  /// within the test's time limit.
  @Test(.timeLimit(.minutes(2))) func cancellingTheConsumerCancelsInFlightRequests() async throws {
    try await TestSimulator.with(
      TestSimulator.configuration {
        $0.scanCount = 1_000
        $0.latency = .seconds(3600)
      }
    ) { simulator in
      let client = try simulator.client(transport: NIOTransport(timeout: .seconds(7200)))
      let task = Task { try await Self.collect(ScanListing(client: client, request: .init())) }
      try await eventually("the request at the simulator") { try await !simulator.loggedParameters().isEmpty }
      task.cancel()
      let result = await task.result
      #expect(throws: CancellationError.self) { try result.get() }
    }
  }

  /// Every throttling code the API uses, and both its server errors, are retried: the call the
  /// simulator refuses once succeeds on the next attempt.
  @Test(arguments: [
    "/_sim/throttle?next=1&code=Throttling", "/_sim/throttle?next=1&code=Throttling.User",
    "/_sim/throttle?next=1&code=Throttling.Api", "/_sim/fail?next=1&code=ServiceUnavailable",
    "/_sim/fail?next=1&code=InternalError",
  ])
  func everyRetryableCodeIsRetried(_ fault: String) async throws {
    try await TestSimulator.with { simulator async throws in
      try await simulator.control("POST", fault)
      let result = try await simulator.client().describeScans(DescribeScansRequest(pageSize: 5))
      #expect(result.attempts == 2)
      #expect(result.wasThrottled == fault.contains("throttle"))
      #expect(result.page.scans.count == 5)
      let codes = try await simulator.control("GET", "/_sim/stats")
      let code = String(fault.split(separator: "=").last!)
      #expect(codes.contains("\"\(code)\":1"), "\(codes)")
    }
  }
}
