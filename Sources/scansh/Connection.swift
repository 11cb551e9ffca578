import Foundation
import ScanAPI
import Shell
import Simulator
import Vocabulary

/// Wires credentials, endpoint, transport and (in demo mode) the in-process simulator into the
/// client the session uses. The client is made on first use, so `help` never starts a server.
actor Connection {
  static let demoSeed: UInt64 = 7
  static let demoScans = 240

  let summary: ConnectionSummary
  private let credentials: Credentials?
  private let endpoint: Endpoint?
  private let timeout: Duration
  private let maxConnections: Int
  private let events: ClientEventSink
  private let announceDemo: @Sendable () -> Void
  private var client: ScanClient?
  private var demo: RunningSimulator?
  /// Demo mode's simulated clock: its data is generated around `demoEpoch`, and time there runs
  /// `demoSpeed` times as fast as real time (SCANSH_DEMO_EPOCH and SCANSH_DEMO_CLOCK_SPEED set
  /// them, for reproducible demos and the README's tests).
  nonisolated let demoEpoch: Date
  nonisolated let demoSpeed: Double
  private nonisolated let started = ContinuousClock.now

  /// Resolves what to connect to; throws for configuration errors (exit 2).
  init(
    options: GlobalOptions, environment: [String: String], events: @escaping ClientEventSink,
    announceDemo: @escaping @Sendable () -> Void
  ) throws {
    let resolved: ResolvedConnection
    if options.demo {
      resolved = ResolvedConnection(credentials: nil, source: .demo)
    } else {
      let resolver = CredentialResolver(
        environment: environment, homeDirectory: environment["HOME"] ?? NSHomeDirectory())
      // Warnings are printed as found: a config that others can read matters even when it then fails.
      resolved = try resolver.resolve(profile: options.profile) { warning in
        FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
      }
    }
    let endpointText = options.endpoint ?? resolved.endpoint
    let isDemo = resolved.credentials == nil && endpointText == nil
    if isDemo {
      credentials = Credentials(accessKeyId: "testid", accessKeySecret: "testsecret")
      endpoint = nil
    } else {
      guard let found = resolved.credentials else {
        throw ScanAPIError.credentials(
          "--endpoint is set but no credentials were found: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or use --profile"
        )
      }
      credentials = found
      endpoint = try Endpoint(endpointText ?? Endpoint.production)
    }
    let region = options.region ?? resolved.region
    summary = ConnectionSummary(
      endpoint: isDemo ? "built-in simulator on loopback (demo mode)" : endpoint!.description,
      profile: resolved.profileName, region: region, source: isDemo ? .demo : resolved.source,
      accessKeyId: isDemo ? nil : credentials?.maskedAccessKeyId, hasSecurityToken: credentials?.securityToken != nil)
    // The transport is made with the client, on first use: URLSession costs start-up time that
    // `help` and parse errors should not pay.
    timeout = DurationText.parse(options.timeout) ?? .seconds(20)
    maxConnections = max(8, options.concurrency ?? 8)
    self.events = events
    self.announceDemo = announceDemo
    demoEpoch =
      environment["SCANSH_DEMO_EPOCH"].flatMap(SimCommand.parseEpoch)
      ?? Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)
    demoSpeed = environment["SCANSH_DEMO_CLOCK_SPEED"].flatMap(Double.init) ?? 60
  }

  /// The time statements see: the simulated time in demo mode, so `now-1d` means the same in the
  /// demo's world as in its data; otherwise the wall clock.
  nonisolated func now() -> Date {
    guard summary.isDemo else { return Date() }
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return demoEpoch.addingTimeInterval(seconds * demoSpeed)
  }

  func client() async throws -> ScanClient {
    if let client { return client }
    var endpoint = self.endpoint
    if endpoint == nil {
      var configuration = SimulatorConfiguration()
      configuration.port = 0
      configuration.seed = Self.demoSeed
      configuration.scanCount = Self.demoScans
      configuration.clockSpeed = demoSpeed
      configuration.epoch = demoEpoch
      let simulator = try await SimulatorServer(configuration: configuration).start()
      demo = simulator
      endpoint = try Endpoint(simulator.endpoint)
      announceDemo()
    }
    let made = ScanClient(
      configuration: .init(endpoint: endpoint!, credentials: credentials!),
      transport: URLSessionTransport(timeout: timeout, maxConnectionsPerHost: maxConnections), events: events)
    client = made
    return made
  }

  func close() async {
    await demo?.stop()
  }
}
