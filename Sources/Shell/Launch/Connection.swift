import Foundation
import ScanAPI

/// A simulator demo mode started: where it listens, and how to stop it.
public struct DemoServer: Sendable {
  public var endpoint: String
  public var stop: @Sendable () async -> Void

  public init(endpoint: String, stop: @escaping @Sendable () async -> Void) {
    self.endpoint = endpoint
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
  private var client: ScanClient?
  private var demo: DemoServer?
  private nonisolated let started = ContinuousClock.now

  public init(
    plan: ConnectionPlan, events: @escaping ClientEventSink, startDemo: @escaping DemoStarter,
    announceDemo: @escaping @Sendable (DemoSettings) -> Void
  ) {
    self.plan = plan
    self.events = events
    self.startDemo = startDemo
    self.announceDemo = announceDemo
  }

  /// The time statements see: the simulated time in demo mode, otherwise the wall clock.
  public nonisolated func now() -> Date {
    guard let demo = plan.demo else { return Date() }
    return demo.now(after: ContinuousClock.now - started)
  }

  public func client() async throws -> ScanClient {
    if let client { return client }
    let endpoint: Endpoint
    let credentials: Credentials
    switch plan.target {
    case .remote(let remote, let keys):
      (endpoint, credentials) = (remote, keys)
    case .demo(let settings):
      let server: DemoServer
      do {
        server = try await startDemo(settings)
      } catch {
        throw ShellError.demoDidNotStart(String(describing: error))
      }
      demo = server
      endpoint = try Endpoint(server.endpoint)
      credentials = ConnectionPlan.demoCredentials
      announceDemo(settings)
    }
    let made = ScanClient(
      configuration: .init(endpoint: endpoint, credentials: credentials),
      transport: URLSessionTransport(timeout: plan.timeout, maxConnectionsPerHost: plan.maxConnections),
      events: events)
    client = made
    return made
  }

  public func close() async {
    await demo?.stop()
  }
}
