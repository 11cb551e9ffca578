import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A simulator demo mode started: where it listens, how to let its held clock run, how to stop it.
public struct DemoServer: Sendable {
  public var endpoint: String
  public var startClock: @Sendable () async -> Void
  public var stop: @Sendable () async -> Void

  public init(
    endpoint: String, startClock: @escaping @Sendable () async -> Void, stop: @escaping @Sendable () async -> Void
  ) {
    self.endpoint = endpoint
    self.startClock = startClock
    self.stop = stop
  }
}

/// Starts demo mode's simulator; the executable supplies it, so the shell needs no server stack.
public typealias DemoStarter = @Sendable (DemoSettings) async throws -> DemoServer

/// Carries out a connection plan: makes the client on first use (so `help` never starts a server
/// or a URL session), starting demo mode's simulator first when the plan says so.
public actor Connection {
  public nonisolated let plan: ConnectionPlan
  private let events: ClientEventSink
  private let startDemo: DemoStarter
  private let announceDemo: @Sendable (DemoSettings) -> Void
  /// Shared by the connections of several accounts: one pool of HTTP connections, not one each.
  private let transport: SharedTransport
  private var client: ScanClient?
  private var demo: DemoServer?
  private var provider: (any CredentialProvider)?
  /// Demo mode's simulated time, shared by its accounts.
  private nonisolated let demoClock: DemoClock

  public init(
    plan: ConnectionPlan, events: @escaping ClientEventSink, startDemo: @escaping DemoStarter,
    announceDemo: @escaping @Sendable (DemoSettings) -> Void, transport: SharedTransport, demoClock: DemoClock
  ) {
    self.transport = transport
    self.demoClock = demoClock
    self.plan = plan
    self.events = events
    self.startDemo = startDemo
    self.announceDemo = announceDemo
  }

  /// The time statements see: the simulated time in demo mode, otherwise the wall clock.
  public nonisolated func now() -> Date {
    guard let demo = plan.demo else { return Date() }
    return demo.now(after: demoClock.elapsed())
  }

  public func client() async throws -> ScanClient {
    if let client { return client }
    let endpoint: Endpoint
    let credentials: any CredentialProvider
    switch plan.target {
    case .remote(let remote, let spec):
      endpoint = remote
      let timeout = plan.timeout
      let context = CredentialProviders.Context(
        transport: { [network = plan.network] in NIOTransport(timeout: min($0, timeout), settings: network) },
        events: events)
      credentials = try CredentialProviders.make(spec, for: plan.summary.source.subject, context)
      provider = credentials
    case .demo(let settings):
      let server: DemoServer
      do {
        server = try await startDemo(settings)
      } catch {
        throw ShellError.demoDidNotStart(String(describing: error))
      }
      demo = server
      endpoint = try Endpoint(server.endpoint)
      credentials = StaticCredentialProvider(.simulatorTestKeys(account: settings.account))
      announceDemo(settings)
    }
    var configuration = ScanClient.Configuration(endpoint: endpoint, credentials: credentials)
    configuration.userAgent = AppInfo.userAgent
    let made = ScanClient(
      configuration: configuration,
      transport: await transport.transport(for: plan),
      events: events)
    client = made
    return made
  }

  /// `show config`'s lines about the credentials in use now: when temporary ones expire.
  public func credentialLines() async -> [String] {
    guard let provider, let expiration = await provider.expiration() else { return [] }
    return ["expires      \(WireTimestamp.format(secondsSince1970: expiration.timeIntervalSince1970))"]
  }

  public func close() async {
    await demo?.stop()
  }
}
