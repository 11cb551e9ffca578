import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

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

  /// A clean environment: a private HOME (no aliyun config), UTC, no colour, no pager (tests of
  /// the pager name their own), plus `extra`.
  public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-e2e-home").path
    try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    var environment = ["HOME": home, "TZ": "UTC", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PAGER": ""]
    environment.merge(extra) { $1 }
    return environment
  }

  /// How long a run of the binary may take before it is killed and the test fails with what it
  /// printed: far beyond any test's needs, so only a hang reaches it.
  public static let runLimit: TimeInterval = 180

  /// Runs scansh to completion, waiting on a thread of its own (see `offload`).
  public static func run(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = Scansh.environment(),
    directory: URL? = nil
  ) async throws -> Output {
    try await offload { try runBlocking(arguments, stdin: stdin, environment: environment, directory: directory) }
  }

  private static func runBlocking(
    _ arguments: [String], stdin: String?, environment: [String: String], directory: URL?
  ) throws -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = environment
    if let directory { process.currentDirectoryURL = directory }
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
    if group.wait(timeout: .now() + runLimit) == .timedOut {
      kill(process.processIdentifier, SIGKILL)
      group.wait()
      process.waitUntilExit()
      throw WaitTimedOut(
        "scansh \(arguments.joined(separator: " ")) to exit (killed after \(Int(runLimit)) s)",
        seen: String(decoding: stdoutBox.data + stderrBox.data, as: UTF8.self))
    }
    process.waitUntilExit()
    return Output(
      stdout: String(decoding: stdoutBox.data, as: UTF8.self), stderr: String(decoding: stderrBox.data, as: UTF8.self),
      status: process.terminationStatus)
  }

  /// The repository's root folder.
  public static var root: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }

  /// Runs a shell command line as a user would type it, `scansh` found on PATH, stderr merged into
  /// stdout in the order written; in `directory` (the repository's root by default).
  public static func shell(_ command: String, environment: [String: String], directory: URL = root) async throws
    -> Output
  {
    try await offload {
      // Inside the build folder, so test runs leave nothing behind in the temporary folder.
      let bin = root.appendingPathComponent(".build/test-bin-\(getpid())")
      try? FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
      let link = bin.appendingPathComponent("scansh").path
      if !FileManager.default.fileExists(atPath: link) {
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
      }
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = ["-c", command]
      var environment = environment
      environment["PATH"] = bin.path + ":/usr/bin:/bin"
      process.environment = environment
      process.currentDirectoryURL = directory
      let out = Pipe()
      process.standardOutput = out
      process.standardError = out
      process.standardInput = FileHandle.nullDevice
      try process.run()
      let box = DataBox()
      let done = DispatchSemaphore(value: 0)
      Thread.detachNewThread {
        box.data = out.fileHandleForReading.readDataToEndOfFile()
        done.signal()
      }
      if done.wait(timeout: .now() + runLimit) == .timedOut {
        kill(process.processIdentifier, SIGKILL)
        // What the shell started may still hold the pipe: wait a little, not forever.
        let drained = done.wait(timeout: .now() + 5) == .success
        throw WaitTimedOut(
          "`\(command)` to finish (killed after \(Int(runLimit)) s)",
          seen: drained ? String(decoding: box.data, as: UTF8.self) : "")
      }
      process.waitUntilExit()
      return Output(stdout: String(decoding: box.data, as: UTF8.self), stderr: "", status: process.terminationStatus)
    }
  }

  /// A clean environment with some credentials, for servers that do not check them.
  public static func environmentWithKeys() -> [String: String] {
    environment(["ALIBABA_CLOUD_ACCESS_KEY_ID": "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "secret"])
  }

  /// Demo mode with its clock stopped, for tests that run several statements and count on the
  /// same world in each (a demo's world always starts at the same time, and stands still until a
  /// first pipeline has read its rows).
  public static func demoEnvironment() -> [String: String] {
    environment(["SCANSH_DEMO_CLOCK_SPEED": "0"])
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
    let box = Box()
    let read = DispatchSemaphore(value: 0)
    Thread.detachNewThread { [out] in
      var line = Data()
      while true {
        let byte = out.fileHandleForReading.readData(ofLength: 1)
        if byte.isEmpty || byte == Data([0x0A]) { break }
        line += byte
      }
      box.text = String(decoding: line, as: UTF8.self)
      read.signal()
    }
    if read.wait(timeout: .now() + 30) == .timedOut {
      kill(process.processIdentifier, SIGKILL)
      read.wait()
    }
    let text = box.text
    guard text.hasPrefix("listening on http://127.0.0.1:") || text.hasPrefix("listening on https://127.0.0.1:"),
      let port = Int(text.split(separator: ":").last ?? "")
    else {
      process.terminate()
      throw WaitTimedOut("scansh sim's 'listening on' line", seen: text)
    }
    self.port = port
    scheme = text.hasPrefix("listening on https") ? "https" : "http"
  }

  deinit { stop() }

  public let scheme: String

  public var endpoint: String { "\(scheme)://127.0.0.1:\(port)/" }

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

  /// Calls the control API with POST; throws unless it answers 200 within 30 s.
  @discardableResult
  public func post(_ path: String) throws -> String {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    request.httpMethod = "POST"
    request.timeoutInterval = 30
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    URLSession.shared.dataTask(with: request) { data, response, error in
      box.text = String(decoding: data ?? Data(), as: UTF8.self)
      box.status = (response as? HTTPURLResponse)?.statusCode ?? 0
      box.error = error.map { "\($0)" }
      done.signal()
    }.resume()
    guard done.wait(timeout: .now() + 35) == .success else { throw WaitTimedOut("POST \(path) to answer") }
    guard box.status == 200 else {
      throw WaitTimedOut("POST \(path) to succeed", seen: box.error ?? "HTTP \(box.status): \(box.text)")
    }
    return box.text
  }

  /// Written by one thread before a semaphore is signalled, read after the wait: never at once.
  private final class Box: @unchecked Sendable {
    var text = ""
    var status = 0
    var error: String?
  }

  public func get(_ path: String) throws -> String {
    let url = URL(string: "http://127.0.0.1:\(port)\(path)")!
    return try String(contentsOf: url, encoding: .utf8)
  }
}
