import Foundation
import Synchronization
import TestSupport
import Testing

/// After a watch: its changes as events, filtered, saved, and acted on — against `scansh sim` on a
/// fast clock (600 simulated seconds a real one: between two ticks every running scan moves).
@Suite(.serialized)
struct WatchActionTests {
  static func fastSimulator() throws -> SimulatorProcess { try SimulatorProcess(["--clock-speed", "600"]) }

  static func run(_ statement: String, _ simulator: SimulatorProcess, folder: Folder, extra: [String: String] = [:])
    async throws -> Scansh.Output
  {
    try await Scansh.run(
      ["--endpoint", simulator.endpoint, "-c", statement], environment: simulator.environment(extra),
      directory: folder.url)
  }

  static func json(_ line: Substring) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
  }

  @Test func eventsAreFilteredShapedAndSaved() async throws {
    let simulator = try Self.fastSimulator()
    let folder = try Folder()
    let statement =
      "scans where status = running | watch 1s for 2s | where Change = changed | select ScanId, RunPercent, Change, Changed"
    let streamed = try await Self.run(statement + " | format ndjson", simulator, folder: folder)
    #expect(streamed.status == 0, "\(streamed.stderr)")
    let lines = streamed.stdout.split(separator: "\n")
    // The first tick is where the watch starts, not news: only the later ticks' changes are events.
    #expect(!lines.isEmpty)
    for line in lines {
      let event = try Self.json(line)
      #expect(Set(event.keys) == ["at", "ScanId", "RunPercent", "Change", "Changed"])
      #expect(event["Change"] as? String == "changed")
      #expect((event["Changed"] as? [String])?.contains("RunPercent") == true)
    }
    // `save` appends, one event a line: two watches, one file holding both.
    for _ in 1...2 {
      let saved = try await Self.run(statement + " | save events.ndjson", simulator, folder: folder)
      #expect(saved.status == 0, "\(saved.stderr)")
      #expect(saved.stderr.contains("watch: actions: save "))
    }
    let file = try String(contentsOf: folder.url.appendingPathComponent("events.ndjson"), encoding: .utf8)
    let saved = file.split(separator: "\n")
    #expect(saved.count >= 2)
    #expect(try saved.allSatisfy { try Self.json($0)["Change"] as? String == "changed" })
    let firstRunAt = try Self.json(saved[0])["at"] as? String
    let lastRunAt = try Self.json(saved[saved.count - 1])["at"] as? String
    #expect(firstRunAt != lastRunAt)
  }

  /// The two events people want most: a run that finished (it left the running runs; its new
  /// status looked up), and a new finding.
  @Test func aRunThatFinishedAndANewFinding() async throws {
    let simulator = try SimulatorProcess(["--clock-speed", "3000"])
    let folder = try Folder()
    let runs = try await Self.run(
      "sessions where status = running | watch 1s for 3s | where Change = removed and status = finished"
        + " | select TaskId, JobStatus, Change, Changed, Reason | format ndjson", simulator, folder: folder)
    #expect(runs.status == 0, "\(runs.stderr)")
    let finished = runs.stdout.split(separator: "\n")
    #expect(!finished.isEmpty)
    for line in finished {
      let event = try Self.json(line)
      #expect(event["JobStatus"] as? String == "finished")
      #expect(event["Reason"] as? String == "finished")
      #expect(event["Changed"] as? [String] == ["JobStatus"])
    }
    let findings = try await Self.run(
      "findings | watch 1s for 3s | where Change = added | select Id, Name, TaskId, Change | format ndjson", simulator,
      folder: folder)
    #expect(findings.status == 0, "\(findings.stderr)")
    let added = findings.stdout.split(separator: "\n")
    #expect(!added.isEmpty)
    #expect(try added.allSatisfy { try Self.json($0)["Change"] as? String == "added" })
  }

  /// scripts/examples/notify-when-done.scansh, on a fast clock with a loopback chat robot.
  @Test func notifyWhenDoneExample() async throws {
    let simulator = try SimulatorProcess(["--clock-speed", "3000"])
    let folder = try Folder()
    let bodies = Mutex<[String]>([])
    let robot = try HostileServer { request in
      bodies.withLock { $0.append(request.body) }
      return .json(200, #"{"errcode":0,"errmsg":"ok"}"#)
    }
    defer { robot.stop() }
    let script = Scansh.root.appendingPathComponent("scripts/examples/notify-when-done.scansh").path
    let output = try await Scansh.run(
      [
        "--endpoint", simulator.endpoint, "--var", "every=1s", "--var", "hours=3s", "--var",
        "hook=http://127.0.0.1:\(robot.port)/robot/send?access_token=TOKEN77", script,
      ], environment: simulator.environment(), directory: folder.url)
    #expect(output.status == 0, "\(output.stderr)")
    let saved = try String(contentsOf: folder.url.appendingPathComponent("finished-scans.ndjson"), encoding: .utf8)
      .split(separator: "\n")
    let posted = bodies.withLock { $0 }
    #expect(!saved.isEmpty)
    #expect(posted.count == saved.count)
    for body in posted {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
      #expect(object["msgtype"] as? String == "text")
      #expect(((object["text"] as? [String: Any])?["content"] as? String)?.hasPrefix("scansh: removed ") == true)
    }
    #expect(!(output.stdout + output.stderr).contains("TOKEN77"))
  }

  /// A program per event: the event on stdin and in SCANSH_* variables, one at a time in order; a
  /// failure and a timeout are warned, counted, and end the script with 1.
  @Test func execRunsAProgramPerEvent() async throws {
    let simulator = try Self.fastSimulator()
    let folder = try Folder()
    try folder.write(
      "record.sh",
      "#!/bin/sh\nread line\necho \"$SCANSH_CHANGE $SCANSH_KEY $SCANSH_SCANID $SCANSH_CHANGED|$line\" >> seen.txt\necho recorded\n"
    )
    try folder.write("fail.sh", "#!/bin/sh\necho no >&2\nexit 3\n")
    try folder.write("slow.sh", "#!/bin/sh\nsleep 30\n")
    for name in ["record.sh", "fail.sh", "slow.sh"] {
      chmod(folder.url.appendingPathComponent(name).path, 0o755)
    }
    let recorded = try await Self.run(
      "scans where status = running | watch 1s for 2s | where Change = changed | first 0 | exec ./record.sh",
      simulator, folder: folder)
    #expect(recorded.status == 2)
    #expect(recorded.stderr.contains("error: 'first' cannot follow 'watch'"))
    let ok = try await Self.run(
      "scans where status = running | watch 1s for 2s | where Change = changed | exec ./record.sh", simulator,
      folder: folder)
    #expect(ok.status == 0, "\(ok.stderr)")
    let seen = try String(contentsOf: folder.url.appendingPathComponent("seen.txt"), encoding: .utf8)
      .split(separator: "\n")
    #expect(!seen.isEmpty)
    for line in seen {
      let parts = line.split(separator: "|", maxSplits: 1)
      let fields = parts[0].split(separator: " ")
      // SCANSH_CHANGE, SCANSH_KEY and SCANSH_SCANID agree with the JSON on stdin.
      #expect(fields[0] == "changed" && fields[1] == fields[2])
      let event = try Self.json(parts[1])
      #expect(event["ScanId"] as? String == String(fields[1]))
      #expect(event["Change"] as? String == "changed")
    }
    #expect(ok.stderr.contains("record.sh: recorded\n"))
    #expect(ok.stderr.contains("watch: actions: exec \(seen.count)\n"))

    let failing = try await Self.run(
      "scans where status = running | watch 1s for 2s | where Change = changed | exec ./fail.sh", simulator,
      folder: folder)
    #expect(failing.status == 1)
    #expect(failing.stderr.contains("fail.sh: no\n"))
    #expect(failing.stderr.contains("warning: exec fail.sh: exited with 3\n"))
    #expect(failing.stderr.contains(" (warned above)\n"))

    // One scan's changes only: each run of slow.sh takes the whole timeout.
    let one = try await Self.run(
      "scans where status = running | sort RunPercent | first 1 | select ScanId | format csv", simulator, folder: folder
    )
    let scanId = try #require(one.stdout.split(separator: "\r\n").last)
    let slow = try await Self.run(
      "set exectimeout 1; scans where ScanId = \"\(scanId)\" | watch 1s for 1s | where Change = changed | exec ./slow.sh",
      simulator, folder: folder)
    #expect(slow.status == 1)
    #expect(slow.stderr.contains("warning: exec slow.sh: stopped after 1s (set exectimeout)\n"))
  }

  /// A receiver that fails twice before it accepts: every event is delivered once, none twice; the
  /// token never shows.
  @Test(arguments: [nil, "dingtalk", "slack", "feishu", "wecom"] as [String?])
  func postDeliversEveryEventOnce(_ service: String?) async throws {
    let simulator = try Self.fastSimulator()
    let folder = try Folder()
    let received = Mutex<(attempts: Int, accepted: [String])>((0, []))
    let receiver = try HostileServer { request in
      let attempt = received.withLock { state -> Int in
        state.attempts += 1
        return state.attempts
      }
      if attempt <= 2 { return .json(503, #"{"errcode":-1}"#) }
      received.withLock { $0.accepted.append(request.body) }
      return .json(200, #"{"errcode":0,"errmsg":"ok"}"#)
    }
    defer { receiver.stop() }
    let url = "http://127.0.0.1:\(receiver.port)/robot/send?access_token=SECRETTOKEN42"
    let output = try await Scansh.run(
      [
        "--endpoint", simulator.endpoint, "--var", "hook=\(url)", "--junit", "report.xml", "-c",
        "param hook\nscans where status = running | watch 1s for 2s | where Change = changed | first 1",
      ], environment: simulator.environment(), directory: folder.url)
    #expect(output.status == 2)
    let posted = try await Scansh.run(
      [
        "--endpoint", simulator.endpoint, "--var", "hook=\(url)", "--junit", "report.xml", "-c",
        "param hook\nscans where status = running | watch 1s for 2s | where Change = changed | post "
          + (service.map { $0 + " " } ?? "") + "$hook",
      ], environment: simulator.environment(), directory: folder.url)
    #expect(posted.status == 0, "\(posted.stderr)")
    let accepted = received.withLock { $0.accepted }
    #expect(!accepted.isEmpty)
    #expect(Set(accepted).count == accepted.count)
    #expect(posted.stderr.contains("watch: actions: post \(accepted.count)\n"))
    for body in accepted {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
      switch service {
      case "dingtalk", "wecom":
        #expect(object["msgtype"] as? String == "text")
        #expect(((object["text"] as? [String: Any])?["content"] as? String)?.hasPrefix("scansh: changed ") == true)
      case "feishu":
        #expect(object["msg_type"] as? String == "text")
        #expect(((object["content"] as? [String: Any])?["text"] as? String)?.hasPrefix("scansh: changed ") == true)
      case "slack":
        #expect(Set(object.keys) == ["text"])
        #expect((object["text"] as? String)?.hasPrefix("scansh: changed ") == true)
      default:
        #expect(object["Change"] as? String == "changed")
        #expect(object["ScanId"] is String)
      }
    }
    let report = try String(contentsOf: folder.url.appendingPathComponent("report.xml"), encoding: .utf8)
    for text in [posted.stdout, posted.stderr, output.stderr, report] { #expect(!text.contains("SECRETTOKEN42")) }
    #expect(posted.stderr.contains("posted to http://127.0.0.1:\(receiver.port)/robot/send?access_token=****: "))
  }

  /// A token typed in the shell reaches neither the screen's errors nor the history file.
  @Test func aWebhookTokenStaysOutOfTheHistory() async throws {
    let state = StateFolder()
    let terminal = try PseudoTerminal(
      arguments: ["--demo"],
      environment: Scansh.environment(["XDG_STATE_HOME": state.path, "SCANSH_DEMO_CLOCK_SPEED": "0"]))
    try await terminal.waitForLine("scansh(demo)>")
    terminal.type("scans | watch 1s | post 'http://example.com/robot/send?access_token=SECRETTOKEN42'\r")
    try await terminal.wait(for: "refusing plain http://")
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
    let history = try String(contentsOfFile: state.history, encoding: .utf8)
    #expect(history.contains("post 'http://example.com/robot/send?access_token=****'"))
    #expect(!history.contains("SECRETTOKEN42"))
    let printed = String(decoding: terminal.transcript, as: UTF8.self)
    // What the shell printed back masked it (the typed line itself is the terminal's echo).
    #expect(printed.components(separatedBy: "SECRETTOKEN42").count == 2)
  }

  /// `notify` on a terminal: the escape the terminal takes, passed through tmux inside it.
  @Test(arguments: [
    (["TERM_PROGRAM": "iTerm.app"], "\u{1B}]9;scansh: changed "),
    (["TERM_PROGRAM": "iTerm.app", "TMUX": "/tmp/tmux-0/default,1,0"], "\u{1B}Ptmux;\u{1B}\u{1B}]9;scansh: changed "),
    (["VTE_VERSION": "7200"], "\u{1B}]777;notify;scansh;changed "),
  ])
  func notifyOnATerminal(_ extra: [String: String], _ expected: String) async throws {
    let simulator = try Self.fastSimulator()
    let terminal = try PseudoTerminal(
      arguments: [
        "--endpoint", simulator.endpoint, "-c",
        "scans where status = running | watch 1s for 2s | where Change = changed | notify",
      ], environment: simulator.environment(extra))
    #expect(try await terminal.waitForExit() == 0)
    let transcript = String(decoding: terminal.transcript, as: UTF8.self)
    #expect(transcript.contains(expected))
  }

  /// Not a terminal: nothing, not even a bell.
  @Test func notifyIsSilentWithoutATerminal() async throws {
    let simulator = try Self.fastSimulator()
    let folder = try Folder()
    let output = try await Self.run(
      "scans where status = running | watch 1s for 2s | where Change = changed | notify", simulator, folder: folder,
      extra: ["TERM_PROGRAM": "iTerm.app"])
    #expect(output.status == 0)
    #expect(!output.stdout.contains("\u{1B}]") && !output.stdout.contains("\u{07}"))
  }
}
