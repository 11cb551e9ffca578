import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ScanAPI

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `scansh sim` as a value: a Hummingbird HTTP server over a `SimulatorCore`.
public struct SimulatorServer: Sendable {
  public let core: SimulatorCore
  public let configuration: SimulatorConfiguration

  public init(configuration: SimulatorConfiguration, wallClock: @escaping @Sendable () -> Date = { Date() }) {
    self.configuration = configuration
    core = SimulatorCore(configuration: configuration, wallClock: wallClock)
  }

  /// Serves until the calling task is cancelled; `onListening` gets the bound port once.
  public func run(onListening: @escaping @Sendable (Int) async -> Void) async throws {
    var server = HTTPServerBuilder.http1()
    if let tls = configuration.tls {
      let chain = try NIOSSLCertificate.fromPEMFile(tls.certificate).map { NIOSSLCertificateSource.certificate($0) }
      let key = try NIOSSLPrivateKey(file: tls.key, format: .pem)
      server = try .tls(
        .http1(), tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
    }
    let app = Application(
      responder: SimulatorResponder(core: core, configuration: configuration), server: server,
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
      logger: Logger(label: "scansh.sim", factory: { _ in SwiftLogNoOpLogHandler() })
    )
    try await app.run()
  }

  /// Starts serving in the background and returns once it listens.
  public func start() async throws -> RunningSimulator {
    let listening = AsyncStream<Int>.makeStream()
    let task = Task {
      try await run { port in listening.continuation.yield(port) }
    }
    // If the server fails to start, `run` throws and the stream ends without a port.
    let watcher = Task {
      _ = await task.result
      listening.continuation.finish()
    }
    var iterator = listening.stream.makeAsyncIterator()
    guard let port = await iterator.next() else {
      watcher.cancel()
      do {
        try await task.value
      } catch {
        throw error
      }
      throw SimulatorError.didNotStart
    }
    return RunningSimulator(
      port: port, host: configuration.host, scheme: configuration.tls == nil ? "http" : "https", core: core, task: task)
  }
}

public enum SimulatorError: Error, Sendable, Equatable, CustomStringConvertible {
  case didNotStart

  public var description: String { "the simulator did not start" }
}

/// A simulator serving in the background.
public final class RunningSimulator: Sendable {
  public let port: Int
  public let host: String
  public let scheme: String
  public let core: SimulatorCore
  private let task: Task<Void, any Error>

  init(port: Int, host: String, scheme: String, core: SimulatorCore, task: Task<Void, any Error>) {
    self.port = port
    self.host = host
    self.scheme = scheme
    self.core = core
    self.task = task
  }

  /// `http://127.0.0.1:PORT/` (https when it serves TLS).
  public var endpoint: String { "\(scheme)://\(host):\(port)/" }

  public func stop() async {
    task.cancel()
    _ = await task.result
  }
}
