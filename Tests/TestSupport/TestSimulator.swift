import Foundation
import ScanAPI
import Simulator

/// A simulator on a free loopback port with deterministic data: a fixed seed and epoch, and
/// simulated time frozen unless a test asks for a clock speed.
public enum TestSimulator {
  /// 2026-11-02T09:00:00Z.
  public static let epoch = Date(timeIntervalSince1970: 1_793_610_000)

  /// The test defaults, changed by `configure`.
  public static func configuration(_ configure: (inout SimulatorConfiguration) -> Void = { _ in })
    -> SimulatorConfiguration
  {
    var configuration = SimulatorConfiguration()
    configuration.port = 0
    configuration.seed = 42
    configuration.scanCount = 250
    configuration.epoch = epoch
    configuration.clockSpeed = 0
    configure(&configuration)
    return configuration
  }

  public static func start(
    _ configuration: SimulatorConfiguration = configuration(), wallClock: @escaping @Sendable () -> Date = { Date() }
  ) async throws -> RunningSimulator {
    try await SimulatorServer(configuration: configuration, wallClock: wallClock).start()
  }

  /// Runs `body` with a started simulator and stops it afterwards, whatever happens.
  public static func with<T>(
    _ configuration: SimulatorConfiguration = configuration(), wallClock: @escaping @Sendable () -> Date = { Date() },
    _ body: (RunningSimulator) async throws -> T
  ) async throws -> T {
    let simulator = try await start(configuration, wallClock: wallClock)
    do {
      let result = try await body(simulator)
      await simulator.stop()
      return result
    } catch {
      await simulator.stop()
      throw error
    }
  }
}

extension RunningSimulator {
  /// A real client for this simulator: URLSession over loopback, the simulator's test keys.
  public func client(
    method: ScanClient.Method = .post, format: ResponseFormat = .json, retry: RetryPolicy = .fast,
    transport: (any HTTPTransport)? = nil, events: @escaping ClientEventSink = { _ in }
  ) throws -> ScanClient {
    ScanClient(
      configuration: .init(
        endpoint: try Endpoint(endpoint),
        credentials: Credentials(accessKeyId: "testid", accessKeySecret: "testsecret"),
        method: method, format: format, retry: retry),
      transport: transport ?? NIOTransport(timeout: .seconds(10)), events: events)
  }

  /// Calls the control API and returns the body.
  @discardableResult
  public func control(_ method: String, _ path: String) async throws -> String {
    let url = URL(string: "http://\(host):\(port)\(path)")!
    let response = try await NIOTransport().send(
      HTTPRequest(method: method, url: url, headers: [:], body: method == "POST" ? Data() : nil))
    return String(decoding: response.body, as: UTF8.self)
  }

  /// Each call logged so far: its Action and operation parameters.
  public func loggedCalls() async throws -> [(action: String, parameters: [String: String])] {
    let body = try await control("GET", "/_sim/log")
    let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
    let requests = object["requests"] as! [[String: Any]]
    let common: Set<String> = [
      "Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion", "Timestamp",
      "SignatureNonce", "Signature",
    ]
    return requests.map { entry in
      let parameters = entry["parameters"] as! [String: String]
      return (parameters["Action"] ?? "", parameters.filter { !common.contains($0.key) })
    }
  }

  /// The operation parameters of each call logged so far.
  public func loggedParameters() async throws -> [[String: String]] {
    let body = try await control("GET", "/_sim/log")
    let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
    let requests = object["requests"] as! [[String: Any]]
    return requests.map { entry in
      let parameters = entry["parameters"] as! [String: String]
      return parameters.filter {
        !["Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion", "Timestamp"].contains(
          $0.key)
      }
    }
  }
}

extension RetryPolicy {
  /// Real retries with short waits, so fault tests stay quick.
  public static let fast = RetryPolicy(
    maxAttempts: 8, baseDelay: .milliseconds(5), maxDelay: .milliseconds(40), budget: .seconds(20))
}
