import Foundation

/// The built `scansh` binary, run as a user would run it.
public enum Scansh {
  /// Next to the test bundle in the build folder.
  public static var path: String {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    return executable.deletingLastPathComponent().appendingPathComponent("scansh").path
  }

  public struct Output: Sendable {
    public var stdout: String
    public var stderr: String
    public var status: Int32
  }

  /// A clean environment: a private HOME (no aliyun config), UTC, no colour, plus `extra`.
  public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-e2e-home").path
    try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    var environment = ["HOME": home, "TZ": "UTC", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
    environment.merge(extra) { $1 }
    return environment
  }

  /// Runs scansh to completion.
  public static func run(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = Scansh.environment()
  )
    throws -> Output
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes to the end before waiting, so a large output cannot block the child.
    let group = DispatchGroup()
    let stdoutBox = DataBox()
    let stderrBox = DataBox()
    for (pipe, box) in [(out, stdoutBox), (err, stderrBox)] {
      group.enter()
      Thread.detachNewThread {
        box.data = pipe.fileHandleForReading.readDataToEndOfFile()
        group.leave()
      }
    }
    group.wait()
    process.waitUntilExit()
    return Output(
      stdout: String(decoding: stdoutBox.data, as: UTF8.self), stderr: String(decoding: stderrBox.data, as: UTF8.self),
      status: process.terminationStatus)
  }

  private final class DataBox: @unchecked Sendable {
    var data = Data()
  }
}

/// `scansh sim` as a separate process, for end-to-end tests of the real command line.
public final class SimulatorProcess: @unchecked Sendable {
  public let port: Int
  private let process: Process

  public init(_ arguments: [String] = []) throws {
    process = Process()
    process.executableURL = URL(fileURLWithPath: Scansh.path)
    process.arguments =
      ["sim", "--port", "0", "--seed", "42", "--scans", "250", "--epoch", "2026-11-02T09:00:00Z", "--clock-speed", "0"]
      + arguments
    process.environment = Scansh.environment()
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The first line is `listening on http://127.0.0.1:PORT`.
    var line = Data()
    while true {
      let byte = out.fileHandleForReading.readData(ofLength: 1)
      if byte.isEmpty || byte == Data([0x0A]) { break }
      line += byte
    }
    let text = String(decoding: line, as: UTF8.self)
    guard text.hasPrefix("listening on http://127.0.0.1:"), let port = Int(text.split(separator: ":").last ?? "") else {
      process.terminate()
      throw POSIXError(.ECONNREFUSED)
    }
    self.port = port
  }

  deinit { stop() }

  public var endpoint: String { "http://127.0.0.1:\(port)/" }

  public func stop() {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }

  /// Environment for a scansh that talks to this simulator with its test keys.
  public func environment(_ extra: [String: String] = [:]) -> [String: String] {
    Scansh.environment(
      ["ALIBABA_CLOUD_ACCESS_KEY_ID": "testid", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "testsecret"].merging(extra) { $1 })
  }

  public func get(_ path: String) throws -> String {
    let url = URL(string: "http://127.0.0.1:\(port)\(path)")!
    return try String(contentsOf: url, encoding: .utf8)
  }
}
