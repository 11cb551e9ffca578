import Foundation
import ScanAPI
import TestSupport
import Testing

@testable import Shell

/// The launch path's rules, in memory: the connection plan, demo mode's clock, the `--verbose`
/// wording, the script runner's stopping rule and the blocking bridge.
struct LaunchTests {
  static let home = "/nonexistent-home-\(UUID().uuidString)"
  static let keys = ["ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI5tExampleKeyId", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s3cret"]

  static func plan(_ options: LaunchOptions = LaunchOptions(), _ environment: [String: String] = [:]) throws
    -> ConnectionPlan
  {
    try ConnectionPlan.make(
      options: options, environment: environment, homeDirectory: home, warn: { _ in })
  }

  @Test func nothingConfiguredIsDemoModeForWantOfCredentials() throws {
    let plan = try Self.plan()
    #expect(plan.demo?.reason == .noCredentials)
    #expect(plan.summary.endpoint == "built-in simulator on loopback (demo mode)")
    #expect(plan.summary.isDemo)
    // Every demo starts at the same simulated time, whatever the date; its clock then runs at 60x.
    #expect(plan.demo?.epoch == Date(timeIntervalSince1970: 1_793_610_000))
    #expect(plan.demo?.speed == 60)
    #expect(
      plan.demo?.notice == "scansh: demo mode: no credentials found, so statements run against the built-in simulator\n"
    )
  }

  @Test func demoAskedForWinsOverCredentialsAndSaysSo() throws {
    var options = LaunchOptions()
    options.demo = true
    let plan = try Self.plan(options, Self.keys)
    #expect(plan.demo?.reason == .asked)
    #expect(plan.demo?.notice == "scansh: demo mode (--demo): statements run against the built-in simulator\n")
  }

  @Test func theDemoClockIsReproducible() throws {
    let plan = try Self.plan(
      LaunchOptions(), ["SCANSH_DEMO_EPOCH": "2026-11-02T09:00:00Z", "SCANSH_DEMO_CLOCK_SPEED": "600"])
    let demo = try #require(plan.demo)
    #expect(demo.epoch == Date(timeIntervalSince1970: 1_793_610_000))
    #expect(demo.now(after: .milliseconds(1_500)) == Date(timeIntervalSince1970: 1_793_610_900))
    #expect(DemoSettings.parseEpoch("1793610000000") == demo.epoch)
    #expect(DemoSettings.parseEpoch("2026-11-02 09:00") == nil)
  }

  @Test func environmentKeysGoToProduction() throws {
    let plan = try Self.plan(LaunchOptions(), Self.keys.merging(["ALIBABA_CLOUD_REGION_ID": "cn-hangzhou"]) { $1 })
    guard case .remote(let endpoint, let credentials) = plan.target else {
      Issue.record("not remote: \(plan.target)")
      return
    }
    #expect(endpoint.description == "https://avds.aliyuncs.com/")
    #expect(credentials.fixedCredentials?.accessKeyId == "LTAI5tExampleKeyId")
    #expect(plan.summary.source == .environment)
    #expect(plan.summary.region == "cn-hangzhou")
    #expect(plan.summary.promptName == "env@cn-hangzhou")
    #expect(!plan.summary.lines.joined().contains("s3cret"))
    #expect(plan.maxConnections == 8)
    #expect(plan.timeout == .seconds(20))
  }

  @Test func theEndpointOptionWinsOverTheEnvironmentsAndSetsTheLimits() throws {
    var options = LaunchOptions()
    options.endpoint = "http://127.0.0.1:9/"
    options.concurrency = 16
    options.timeout = .seconds(3)
    let plan = try Self.plan(options, Self.keys.merging(["ALIBABA_CLOUD_ENDPOINT": "https://example.test/"]) { $1 })
    #expect(plan.summary.endpoint == "http://127.0.0.1:9/")
    #expect(plan.maxConnections == 16)
    #expect(plan.timeout == .seconds(3))
    let fromEnvironment = try Self.plan(
      LaunchOptions(), Self.keys.merging(["ALIBABA_CLOUD_ENDPOINT": "https://example.test/"]) { $1 })
    #expect(fromEnvironment.summary.endpoint == "https://example.test/")
  }

  @Test func anEndpointWithoutCredentialsIsAnError() {
    var options = LaunchOptions()
    options.endpoint = "http://127.0.0.1:9/"
    #expect(
      throws: ScanAPIError.credentials(
        "--endpoint is set but no credentials were found: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or use --profile"
      )
    ) { try Self.plan(options) }
  }

  @Test func plainHTTPToAnotherHostIsRefused() {
    var options = LaunchOptions()
    options.endpoint = "http://avds.aliyuncs.com/"
    #expect(
      throws: ScanAPIError.invalidEndpoint(
        "refusing plain http:// to 'avds.aliyuncs.com': the AccessKey ID and request signatures would travel unencrypted; use https:// (plain http is allowed only to loopback addresses)"
      )
    ) { try Self.plan(options, Self.keys) }
  }

  @Test func verboseLinesNameRequestsAndRetries() {
    let exchange = ClientEvent.Exchange(
      method: "POST", action: "DescribeScans", page: 2, parameters: ["CurrentPage=2", "PageSize=100"], status: 400,
      code: "Throttling.User", attempt: 2, elapsed: .milliseconds(31))
    #expect(
      ClientEventReporter.line(for: .exchange(exchange), verbose: true)
        == "> POST DescribeScans CurrentPage=2 PageSize=100 -> HTTP 400 Throttling.User in 31ms (attempt 2)\n")
    #expect(ClientEventReporter.line(for: .exchange(exchange), verbose: false) == nil)
    #expect(
      ClientEventReporter.line(
        for: .retry(page: 2, attempt: 2, delay: .milliseconds(400), reason: "Throttling.User (HTTP 400)"), verbose: true
      )
        == "> retry page 2 after Throttling.User (HTTP 400), attempt 3 in 400ms\n")
    #expect(
      ClientEventReporter.line(for: .warning("the result changed"), verbose: false) == "warning: the result changed\n")
    #expect(ClientEventReporter.line(for: .progress(pages: 1, totalPages: 3, rows: 100), verbose: true) == nil)
  }

  @Test(arguments: [
    (ExitCode.success, false, false), (.checkFailed, false, false), (.usage, false, true), (.api, false, true),
    (.network, false, true), (.io, false, true), (.internalError, false, true), (.interrupted, false, true),
    (.usage, true, false), (.network, true, false), (.interrupted, true, true),
  ])
  func runsStopAfter(_ code: ExitCode, _ keepGoing: Bool, _ stops: Bool) {
    var options = Session.Options(connection: ConnectionSummary(endpoint: "-", source: .demo))
    options.keepGoing = keepGoing
    let session = Session(
      options: options, output: BufferSink(), errors: BufferSink(),
      client: { throw ScanAPIError.credentials("unused") })
    #expect(session.stops(after: code) == stops)
  }

  // The bridge blocks its thread, so these run it on a thread of their own, off the cooperative pool
  // the work itself needs.
  @Test func theBridgeReturnsWhatTheWorkReturnsOrThrows() async throws {
    let answer = try await offload { Blocking.run { 6 * 7 } }
    #expect(try answer.result.get() == 42)
    #expect(!answer.cancelled)
    let failed = try await offload { Blocking.run { () async throws -> Int in throw ShellError.notAvailable("no") } }
    #expect(throws: ShellError.notAvailable("no")) { try failed.result.get() }
  }

  @Test func anInterruptionCancelsTheWork() async throws {
    let (result, cancelled) = try await offload {
      var signalPipe: [Int32] = [-1, -1]
      guard pipe(&signalPipe) == 0 else { throw POSIXError(.EMFILE) }
      defer {
        close(signalPipe[0])
        close(signalPipe[1])
      }
      var byte: UInt8 = 1
      _ = write(signalPipe[1], &byte, 1)
      let readEnd = signalPipe[0]
      return Blocking.run(
        interruption: .init(descriptor: readEnd) {
          var drained: UInt8 = 0
          _ = read(readEnd, &drained, 1)
          return true
        }
      ) { () async throws -> Bool in
        // Waits for the cancellation the interruption brings; the test ends only if it arrives.
        while !Task.isCancelled { try await Task.sleep(for: .milliseconds(5)) }
        return true
      }
    }
    #expect(cancelled)
    // The work saw the cancellation: it either noticed it or its sleep threw.
    switch result {
    case .success(let noticed): #expect(noticed)
    case .failure(let error): #expect(error is CancellationError)
    }
  }
}

/// The pager: which command, and what goes where.
struct PagerTests {
  @Test func theCommandComesFromPAGERElseLess() {
    #expect(Pager.command(environment: ["PAGER": "most -s"]) == "most -s")
    // An empty PAGER means no pager, as git takes it.
    #expect(Pager.command(environment: ["PAGER": " "]) == nil)
    #expect(Pager.command(environment: ["PATH": "/nonexistent"]) == nil)
    let hasLess = FileManager.default.isExecutableFile(atPath: "/usr/bin/less")
    #expect(Pager.command(environment: ["PATH": "/usr/bin"]) == (hasLess ? "less -FRXK" : nil))
  }

  @Test func shortTextIsPrintedAndTallTextIsPaged() async throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-pager-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: file) }
    let short = BufferSink()
    let small = Pager(output: short, command: "cat > '\(file)'", rows: 5)
    small.write("1\n2\n")
    small.write("3\n")
    await small.finish()
    #expect(short.text == "1\n2\n3\n")
    #expect(!FileManager.default.fileExists(atPath: file))
    let tall = BufferSink()
    let large = Pager(output: tall, command: "cat > '\(file)'", rows: 5)
    for line in 1...12 { large.write("\(line)\n") }
    await large.finish()
    #expect(tall.text == "")
    #expect(try String(contentsOfFile: file, encoding: .utf8) == (1...12).map { "\($0)\n" }.joined())
  }

  @Test func aPagerThatCannotReadTakesNothingAndStopsNothing() async throws {
    let shown = BufferSink()
    // `true` exits at once: the writes after it fail with EPIPE, quietly, and nothing is printed.
    let pager = Pager(output: shown, command: "true", rows: 2)
    for line in 1...5000 { pager.write("line \(line) of a long result\n") }
    await pager.finish()
    #expect(shown.text == "")
  }
}

struct DemoClockTests {
  @Test func standsStillUntilStartedThenRunsOnce() async throws {
    let clock = DemoClock()
    #expect(clock.elapsed() == .zero)
    try await Task.sleep(for: .milliseconds(2))
    #expect(clock.elapsed() == .zero)
    #expect(clock.start())
    #expect(!clock.start())
    try await Task.sleep(for: .milliseconds(2))
    #expect(clock.elapsed() >= .milliseconds(2))
  }
}
