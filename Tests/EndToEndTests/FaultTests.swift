import Foundation
import TestSupport
import Testing

/// The faults a real API has, and servers that misbehave: every row exactly once or a clear error
/// with the right exit code, within seconds, never a crash or a hang.
@Suite(.serialized)
struct FaultTests {
  static func ids(_ ndjson: String) -> [String] {
    ndjson.split(separator: "\n").compactMap { line in
      (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["ScanId"] as? String
    }
  }

  @Test func throttlingOutagesAndJitterLoseNothing() async throws {
    // Low random rates, so no page fails six times in a row by chance; forced faults first, so
    // retries are certain: two throttles (with x-acs-retry-after), then a 503.
    let simulator = try SimulatorProcess([
      "--throttle-rate", "0.05", "--error-rate", "0.02", "--jitter", "5ms", "--max-page-size", "20",
    ])
    try simulator.post("/_sim/throttle?next=2&retryAfter=30")
    try simulator.post("/_sim/fail?next=1")
    let listing = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "--verbose", "-c", "scans", "--format", "ndjson"],
      environment: simulator.environment())
    #expect(listing.status == 0)
    let ids = Self.ids(listing.stdout)
    #expect(ids.count == 250)
    #expect(Set(ids).count == 250)
    #expect(listing.stderr.contains("> retry page "))
    #expect(listing.stderr.contains("after Throttling.User (HTTP 400)"))
    let count = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "-c", "scans where status = running | count"],
      environment: simulator.environment())
    #expect(count.status == 0)
    #expect(count.stdout == "24\n")
  }

  @Test func rowsInsertedWhileReadingAreWarnedAbout() async throws {
    let simulator = try SimulatorProcess(["--drift", "2", "--max-page-size", "25"])
    let output = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "--concurrency", "1", "-c", "scans", "--format", "ndjson"],
      environment: simulator.environment())
    #expect(output.status == 0)
    let ids = Self.ids(output.stdout)
    #expect(Set(ids).count == ids.count)
    #expect(ids.count >= 250)
    #expect(output.stderr.hasPrefix("warning: the scan list changed while it was read: read "))
    #expect(output.stderr.contains("TotalCount said 250 at first and "))
  }

  @Test func throttledOnEveryRequestFailsWithExitThree() async throws {
    let simulator = try SimulatorProcess(["--throttle-rate", "1"])
    for statement in ["scans", "scans | count"] {
      let started = ContinuousClock.now
      let output = try await Scansh.run(
        ["--endpoint", simulator.endpoint, "-c", statement], environment: simulator.environment())
      #expect(output.status == 3)
      // The last refusal is any of the API's three throttling codes, each with its own message.
      let refusals = [
        "Throttling: Request was denied due to request throttling.",
        "Throttling.User: Request was denied due to user flow control.",
        "Throttling.Api: Request was denied due to api flow control.",
      ]
      #expect(refusals.contains { output.stderr.hasPrefix("error: \($0) (HTTP 400, RequestId ") }, "\(output.stderr)")
      #expect(output.stderr.contains(", gave up after 6 attempts)\n"))
      #expect(ContinuousClock.now - started < .seconds(30))
    }
  }

  @Test func connectionsThatCloseOrHangExitFour() async throws {
    let closing = try HostileServer { _ in .close }
    defer { closing.stop() }
    let closed = try await Scansh.run(
      ["--endpoint", closing.endpoint, "-c", "scans | count"],
      environment: Scansh.environmentWithKeys())
    #expect(closed.status == 4)
    #expect(closed.stderr.hasPrefix("error: network error talking to \(closing.endpoint): "))
    let hanging = try HostileServer { _ in .hang }
    defer { hanging.stop() }
    let hung = try await Scansh.run(
      ["--endpoint", hanging.endpoint, "--timeout", "1s", "-c", "scans"],
      environment: Scansh.environmentWithKeys())
    #expect(hung.status == 4)
    #expect(
      hung.stderr.hasPrefix("error: network error talking to \(hanging.endpoint): no answer within the request timeout")
    )
  }

  /// Each hostile answer and the message it must produce, with exit 3.
  static let hostile: [(String, HostileServer.Behavior, String)] = [
    (
      "truncated JSON", .json(200, #"{"TotalCount":3,"List":[{"ScanId":"1"},"#),
      "malformed response: invalid JSON: unexpected end of JSON at byte 39"
    ),
    (
      "an HTML 502 page",
      .respond(
        status: 502, headers: ["Content-Type": "text/html"],
        body: Array("<html><body><h1>502 Bad Gateway</h1></body></html>".utf8)),
      "HTTP502: the server answered HTTP 502 with a body that is not an API error: '<html><body><h1>502 Bad Gateway</h1></body></html>' (HTTP 502, gave up after 6 attempts)"
    ),
    (
      "TotalCount: many", .json(200, #"{"TotalCount":"many","List":[]}"#),
      "malformed response: 'TotalCount' is \"many\", expected a non-negative integer"
    ),
    (
      "List an object", .json(200, #"{"TotalCount":1,"List":{"ScanId":"1"}}"#),
      "malformed response: 'List' is a JSON object, expected a list of scans"
    ),
    (
      "bytes that are not UTF-8",
      .respond(
        status: 200, headers: [:],
        body: Array(#"{"TotalCount":1,"List":[{"Name":""#.utf8) + [0xFF, 0xFE] + Array(#""}]}"#.utf8)),
      "malformed response: invalid JSON: a string is not valid UTF-8 at byte 33"
    ),
    (
      "negative TotalCount", .json(200, #"{"TotalCount":-1,"List":[]}"#),
      "malformed response: 'TotalCount' is -1, expected a non-negative integer"
    ),
    (
      "negative PageCount", .json(200, #"{"PageCount":-3,"TotalCount":1,"List":[]}"#),
      "malformed response: 'PageCount' is -3, expected a non-negative integer"
    ),
    (
      "PageSize 0", .json(200, #"{"TotalCount":5,"PageSize":0,"List":[]}"#),
      "malformed response: 'PageSize' is 0, expected at least 1"
    ),
    (
      "XML where JSON was asked",
      .respond(
        status: 200, headers: ["Content-Type": "text/xml"],
        body: Array("<DescribeScansResponse><TotalCount>0</TotalCount></DescribeScansResponse>".utf8)),
      "malformed response: expected JSON, but the body is XML or HTML: '<DescribeScansResponse><TotalCount>0</TotalCount></DescribeS…'"
    ),
    (
      "a billion rows, the same page again and again",
      .json(200, #"{"TotalCount":1000000000,"PageSize":2,"List":[{"ScanId":"a"},{"ScanId":"b"}]}"#),
      "malformed response: page 2 repeated rows already read and added none, though TotalCount promises 1000000000 scans; stopped instead of reading the same rows again"
    ),
    (
      "a body over 32 MiB", .respond(status: 200, headers: [:], body: [UInt8](repeating: 0x20, count: 33 << 20)),
      "malformed response: the response body is larger than 32 MiB; refused unread"
    ),
  ]

  @Test(arguments: 0..<hostile.count)
  func hostileAnswersExitThree(_ index: Int) async throws {
    let (name, behavior, message) = Self.hostile[index]
    let server = try HostileServer { _ in behavior }
    defer { server.stop() }
    let started = ContinuousClock.now
    let output = try await Scansh.run(
      ["--endpoint", server.endpoint, "-c", "scans"],
      environment: Scansh.environmentWithKeys())
    #expect(output.status == 3, "\(name)")
    #expect(output.stderr == "error: \(message)\n  in -c:1: scans\n", "\(name)")
    #expect(ContinuousClock.now - started < .seconds(20), "\(name)")
  }

  /// A server that leaves TotalCount out: `count` pages through and counts, rather than trusting a
  /// one-row page; an empty result without `List` is no rows.
  @Test func countWithoutTotalCountPagesThrough() async throws {
    let server = try HostileServer { request in
      let rows =
        request.page <= 2
        ? (1...100).map { #"{"ScanId":"p\#(request.page)-\#($0)"}"# }
        : (1...7).map {
          #"{"ScanId":"p3-\#($0)"}"#
        }
      let body =
        request.requestLine.contains("PageSize=1&") || request.body.contains("PageSize=1&")
          || request.body.hasSuffix("PageSize=1")
        ? #"{"List":[{"ScanId":"p1-1"}]}"# : #"{"PageSize":100,"List":["# + rows.joined(separator: ",") + "]}"
      return .json(200, body)
    }
    defer { server.stop() }
    let counted = try await Scansh.run(
      ["--endpoint", server.endpoint, "-c", "scans | count"], environment: Scansh.environmentWithKeys())
    #expect(counted.status == 0)
    #expect(counted.stdout == "207\n")
    let empty = try HostileServer { _ in .json(200, #"{"RequestId":"E","TotalCount":0,"PageSize":100}"#) }
    defer { empty.stop() }
    let none = try await Scansh.run(
      ["--endpoint", empty.endpoint, "-c", "scans; scans | count"], environment: Scansh.environmentWithKeys())
    #expect(none.status == 0)
    #expect(none.stdout == "ScanId  Name  Status  ScanType  RunPercent  StartDate  Targets\n(no rows)\n0\n")
    #expect(none.stderr == "")
  }

  /// A large file with one bad line in its middle: the error names the line, and the JSON printed
  /// before it is closed, never left half an array.
  @Test func aBadLineInALargeLoadIsNamedAndTheJSONStaysWhole() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-big-\(UUID().uuidString).ndjson")
      .path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let lines = 60_000
    var text = ""
    text.reserveCapacity(lines * 340)
    for index in 1...lines {
      text +=
        index == lines / 2
        ? "{\"ScanId\":\"broken\",\n"
        : #"{"ScanId":"\#(index)","Name":"prod-shop-weekly scan of many targets","Status":"finished","ScanType":"vuln","RunPercent":100,"StartDate":1793610000000,"Targets":["shop.example.com","203.0.113.9"],"KeyWords":"a,b,c"}"#
          + "\n"
    }
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    let output = try await Scansh.run(["-c", "load '\(path)' | format json"], environment: Scansh.environment())
    #expect(output.status == 2)
    #expect(output.stderr.hasPrefix("error: cannot load \(path):\(lines / 2): invalid JSON: unexpected end of JSON"))
    let printed = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]]
    #expect(printed?.count == lines / 2 - 1)
  }

  /// A full disk and a read-only one, as small tmpfs mounts (root only, as in CI): `save` says
  /// which path and why, exits 5, and leaves neither a partial file nor its temporary file.
  @Test(
    .enabled(if: FaultTests.canMountTmpfs, "needs root and mount(8), as CI has"),
    arguments: [("size=16k", "No space left on device"), ("size=1m,ro", "Read-only file system")])
  func saveOnAFullOrReadOnlyDisk(_ options: String, _ reason: String) async throws {
    let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-disk-\(UUID().uuidString)")
      .path
    try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: mountPoint) }
    func command(_ arguments: [String]) throws -> Int32 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: arguments[0])
      process.arguments = Array(arguments.dropFirst())
      try process.run()
      process.waitUntilExit()
      return process.terminationStatus
    }
    guard try command(["/bin/mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint]) == 0 else {
      Issue.record("could not mount a tmpfs at \(mountPoint)")
      return
    }
    defer { _ = try? command(["/bin/umount", mountPoint]) }
    let target = mountPoint + "/scans.ndjson"
    let output = try await Scansh.run(
      ["--demo", "-c", "scans | save '\(target)'"], environment: Scansh.demoEnvironment())
    #expect(output.status == 5)
    #expect(output.stderr.contains("error: cannot save to \(target): \(reason)\n"), "\(output.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint) == [])
  }

  /// Whether this machine lets the tests mount a small tmpfs (root, and mount(8) allowed).
  static let canMountTmpfs: Bool = {
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount") else { return false }
    let point = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-probe-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: point) }
    let mount = Process()
    mount.executableURL = URL(fileURLWithPath: "/bin/mount")
    mount.arguments = ["-t", "tmpfs", "-o", "size=4k", "tmpfs", point]
    mount.standardError = FileHandle.nullDevice
    guard (try? mount.run()) != nil else { return false }
    mount.waitUntilExit()
    guard mount.terminationStatus == 0 else { return false }
    let umount = Process()
    umount.executableURL = URL(fileURLWithPath: "/bin/umount")
    umount.arguments = [point]
    try? umount.run()
    umount.waitUntilExit()
    return true
  }()

  /// `scansh -c 'scans' | head -1`: the reader left; scansh ends quietly.
  @Test func aClosedPipeEndsQuietly() async throws {
    let output = try await Scansh.shell(
      "\(Scansh.path) --demo -c 'scans | format ndjson' 2>/tmp/scansh-pipe-\(getpid()).err | head -1; "
        + "cat /tmp/scansh-pipe-\(getpid()).err; rm -f /tmp/scansh-pipe-\(getpid()).err",
      environment: Scansh.demoEnvironment())
    #expect(output.stdout.hasPrefix("{\"ScanId\":"))
    #expect(output.stdout.split(separator: "\n").count == 2)
    #expect(output.stdout.hasSuffix("scansh: demo mode (--demo): statements run against the built-in simulator\n"))
  }

  @Test func anInterruptedSaveLeavesNothing() async throws {
    let simulator = try SimulatorProcess(["--latency", "30s"])
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-save-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent("scans.ndjson").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Scansh.path)
    process.arguments = ["--endpoint", simulator.endpoint, "-c", "scans | save '\(target)'"]
    process.environment = simulator.environment()
    process.standardOutput = FileHandle.nullDevice
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    // Interrupt once the first request is waiting at the server.
    while try !simulator.get("/_sim/stats").contains("\"requests\":1") { try await Task.sleep(for: .milliseconds(20)) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 1)  // the temporary file
    kill(process.processIdentifier, SIGINT)
    try await offload { process.waitUntilExit() }
    #expect(process.terminationStatus == 130)
    #expect(
      String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        == "interrupted\n  in -c:1: scans | save '\(target)'\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
  }

  @Test func aConfigOthersCanReadIsWarnedAbout() async throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-home-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: home + "/.aliyun", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: home) }
    try #"{"current":"p","profiles":[{"name":"p","mode":"RamRoleArn","access_key_id":"a","access_key_secret":"b"}]}"#
      .write(toFile: home + "/.aliyun/config.json", atomically: true, encoding: .utf8)
    chmod(home + "/.aliyun/config.json", 0o644)
    let output = try await Scansh.run(["-c", "scans | count"], environment: Scansh.environment(["HOME": home]))
    #expect(output.status == 2)
    #expect(
      output.stderr == """
        warning: ~/.aliyun/config.json is readable by others (mode 644); run: chmod 600 ~/.aliyun/config.json
        error: profile 'p' (RamRoleArn) has no ram_role_arn

        """)
  }
}
