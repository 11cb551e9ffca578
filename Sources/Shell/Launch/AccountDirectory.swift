import QueryEngine
import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The accounts a session reads: one connection per account, made when first named, and the
/// current selection (`--profile a,b`, `--all-profiles`, `use …`). Demo mode's accounts share one
/// simulator.
public actor AccountDirectory {
  private let options: LaunchOptions
  private let environment: [String: String]
  private let events: ClientEventSink
  private let demo: SharedDemo
  private let announceDemo: @Sendable (DemoSettings) -> Void
  private let warn: @Sendable (String) -> Void
  private var connections: [String: Connection] = [:]
  /// One HTTP connection pool for every account.
  private let transport = SharedTransport()
  /// Demo mode's simulated time, the same for every demo account.
  private let demoClock = DemoClock()
  /// Demo mode, asked for or for want of credentials: every name is one of demo's accounts.
  private var isDemo = false
  public private(set) var selected: [String] = []

  /// Resolves the accounts named on the command line; throws for configuration errors.
  public init(
    options: LaunchOptions, environment: [String: String], events: @escaping ClientEventSink,
    startDemo: @escaping DemoStarter, announceDemo: @escaping @Sendable (DemoSettings) -> Void,
    warn: @escaping @Sendable (String) -> Void
  ) async throws {
    self.options = options
    self.environment = environment
    self.events = events
    self.demo = SharedDemo(start: startDemo)
    self.announceDemo = announceDemo
    self.warn = warn
    let names: [String?]
    if options.allProfiles {
      names = try Self.allProfiles(options: options, environment: environment)
    } else if let profile = options.profile, profile.contains(",") {
      names = Self.split(profile)
    } else {
      names = [options.profile]
    }
    selected = try names.map { try connection(for: $0).plan.accountName }
  }

  /// `a, b` or `a,b` as names.
  static func split(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmed(.blanks) }.filter { !$0.isEmpty }
  }

  /// Every profile of aliyun-cli's config file; in demo mode, demo's accounts.
  static func allProfiles(options: LaunchOptions, environment: [String: String]) throws -> [String] {
    if options.demo { return DemoSettings.accountNames }
    let resolver = CredentialResolver(
      environment: environment, homeDirectory: environment["HOME"] ?? PathText.accountHome)
    let names = try resolver.profileNames()
    guard !names.isEmpty else {
      throw ScanAPIError.credentials("--all-profiles: \(resolver.shownConfigPath) has no profiles")
    }
    return names
  }

  /// The connection of an account, made on first use (nil: the one the chain finds by itself).
  private func connection(for name: String?) throws -> Connection {
    if let name, let known = connections[name] { return known }
    var own = options
    own.profile = name
    own.demo = options.demo || isDemo
    let plan = try ConnectionPlan.make(
      options: own, environment: environment, homeDirectory: environment["HOME"] ?? PathText.accountHome,
      warn: warn)
    if let known = connections[plan.accountName] { return known }
    isDemo = isDemo || plan.demo != nil
    let demo = demo
    let connection = Connection(
      plan: plan, events: events, startDemo: { settings in try await demo.server(settings) },
      announceDemo: announceDemo, transport: transport, demoClock: demoClock)
    connections[plan.accountName] = connection
    return connection
  }

  /// Switches the session's accounts (`use a, b`, `use all`); returns the names now in use.
  public func use(_ names: [String]) throws -> [String] {
    let wanted =
      names.count == 1 && names[0].lowercased() == "all"
      ? try Self.allProfiles(options: options, environment: environment) : names
    selected = try wanted.map { try connection(for: $0).plan.accountName }
    return selected
  }

  /// The clients of the selected accounts, in order.
  public func clients() async throws -> [AccountClient] {
    var clients: [AccountClient] = []
    for name in selected {
      guard let connection = connections[name] else { continue }
      clients.append(AccountClient(name: name, client: try await connection.client()))
    }
    return clients
  }

  /// The first selected account's connection: its clock is the session's.
  public var primary: Connection { connections[selected[0]]! }

  /// `show config`: each selected account, its connection and credentials.
  public func describe() async -> [String] {
    var lines: [String] = []
    for name in selected {
      guard let connection = connections[name] else { continue }
      if selected.count > 1 { lines.append("account      \(name)") }
      lines += connection.plan.summary.lines + (await connection.credentialLines())
      if selected.count > 1, name != selected.last { lines.append("") }
    }
    return lines
  }

  /// Demo mode's clock runs from now on (the simulator's with it); outside demo mode, nothing.
  public func startDemoClock() async {
    guard isDemo, demoClock.start() else { return }
    await demo.startClock()
  }

  public func closeAll() async {
    for connection in connections.values { await connection.close() }
    await demo.stop()
  }
}

/// Demo mode's one simulator, started when the first demo account needs it, serving every demo
/// account.
/// One HTTP connection pool for every account, made when the first account connects (a statement
/// that reads no account makes none) and sized from its plan for the accounts read at once.
public actor SharedTransport {
  private var made: (any HTTPTransport)?

  func transport(for plan: ConnectionPlan) -> any HTTPTransport {
    if let made { return made }
    let transport = NIOTransport(
      timeout: plan.timeout, maxConnectionsPerHost: plan.maxConnections * Evaluator.maxAccountsAtOnce,
      settings: plan.network)
    made = transport
    return transport
  }
}

actor SharedDemo {
  private let start: DemoStarter
  private var running: Task<DemoServer, any Error>?
  private var clockStarted = false

  init(start: @escaping DemoStarter) { self.start = start }

  func server(_ settings: DemoSettings) async throws -> DemoServer {
    if running == nil {
      let start = start
      let clockStarted = clockStarted
      running = Task {
        let server = try await start(settings)
        if clockStarted { await server.startClock() }
        return server
      }
    }
    let server = try await running!.value
    // Each connection stops its own; the shared one stops once, at the end.
    return DemoServer(endpoint: server.endpoint, startClock: server.startClock, stop: {})
  }

  /// Lets the simulator's clock run, if it started; one that starts later starts with it running.
  func startClock() async {
    clockStarted = true
    guard let running, let server = try? await running.value else { return }
    await server.startClock()
  }

  func stop() async {
    guard let running, let server = try? await running.value else { return }
    await server.stop()
  }
}
