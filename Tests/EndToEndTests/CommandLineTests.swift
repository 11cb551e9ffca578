import Foundation
import TestSupport
import Testing

/// The built binary against `scansh sim`, as CI and users run it.
@Suite(.serialized)
struct CommandLineTests {
  @Test func version() async throws {
    let output = try await Scansh.run(["--version"])
    #expect(output.stdout == "0.1.0\n")
    #expect(output.status == 0)
  }

  /// Demo mode starts in the same world every time: its clock stands at a fixed simulated time
  /// until the first pipeline has read its rows, however fast it is set to run, then runs.
  @Test func demoModeStartsInTheSameWorldEveryTime() async throws {
    let statement = "scans where status = running | sort ScanId | select ScanId, RunPercent | format csv"
    let stopped = try await Scansh.run(
      ["-c", statement], environment: Scansh.environment(["SCANSH_DEMO_CLOCK_SPEED": "0"]))
    // The header and the 19 scans running at the demo's start.
    #expect(stopped.stdout.components(separatedBy: "\r\n").count == 21)
    // A billion simulated seconds per real one: before the first statement's answer nothing moved;
    // after it, any real time at all moves every running scan.
    let fast = try await Scansh.run(
      ["-c", statement + "; " + statement], environment: Scansh.environment(["SCANSH_DEMO_CLOCK_SPEED": "1e9"]))
    #expect(fast.status == 0, "\(fast.stderr)")
    #expect(fast.stdout.hasPrefix(stopped.stdout))
    #expect(fast.stdout != stopped.stdout + stopped.stdout)
  }

  @Test func helpShowsExamplesAndTheSimulatorsFlags() async throws {
    let help = try await Scansh.run(["--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("scansh -c 'scans where status = running | sort RunPercent desc | first 10'"))
    #expect(help.stdout.contains("Exit codes: 0 success, 1 expect/watch condition failed"))
    // The three ways to run scansh, and each option's values once.
    #expect(
      help.stdout.contains(
        """
        USAGE: scansh [<options>]                  the shell (stdin's script if piped)
               scansh [<options>] -c <statements>  run statements and exit
               scansh [<options>] <file> ...       replay script files in order

        """))
    #expect(help.stdout.components(separatedBy: "ndjson").count == 2)
    #expect(
      help.stdout.contains(
        "  --format <format>       Output format. (values: table, json, ndjson, csv,\n                          tsv, markdown)\n"
      ))
    // What its last line points at works.
    #expect(help.stdout.contains("See 'scansh help <subcommand>' for detailed help."))
    let helpSim = try await Scansh.run(["help", "sim"])
    #expect(helpSim.status == 0)
    #expect(helpSim.stdout.hasPrefix("OVERVIEW: Run a faithful local Cloud Security Scanner server"))
    let sim = try await Scansh.run(["sim", "--help"])
    for flag in [
      "--port", "--seed", "--scans", "--dataset", "--epoch", "--clock-speed", "--latency", "--jitter",
      "--throttle-rate",
      "--error-rate", "--drift", "--max-page-size", "--access-key-id", "--access-key-secret", "--flat", "--dump",
      "POST /_sim/throttle?next=N", "GET  /_sim/log",
    ] {
      #expect(sim.stdout.contains(flag), "\(flag)")
    }
  }

  @Test(arguments: ["bash", "zsh", "fish"])
  func completionScripts(_ shell: String) async throws {
    let output = try await Scansh.run(["--generate-completion-script", shell])
    #expect(output.status == 0)
    #expect(output.stdout.contains("scansh"))
    #expect(output.stdout.contains("endpoint"))
  }

  @Test func simPrintsWhereItListens() async throws {
    let simulator = try SimulatorProcess()
    #expect(simulator.port > 0)
    #expect(try simulator.get("/_sim/stats").hasPrefix(#"{"requests":0,"#))
  }

  @Test func queriesWithExitZero() async throws {
    let simulator = try SimulatorProcess()
    let output = try await Scansh.run(
      [
        "--endpoint", simulator.endpoint, "-c",
        "scans where status = running | sort RunPercent desc | first 3 | select ScanId, RunPercent",
        "--format", "csv",
      ],
      environment: simulator.environment())
    #expect(output.status == 0)
    #expect(output.stderr == "")
    let lines = output.stdout.split(separator: "\r\n")
    #expect(lines.first == "ScanId,RunPercent")
    #expect(lines.count == 4)
  }

  /// A file that cannot be written is an I/O failure (exit 5), named with its reason, and leaves
  /// nothing behind.
  @Test func saveThatCannotWriteExitsFive() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-missing-\(UUID().uuidString)")
    let output = try await Scansh.run(
      ["--demo", "-c", "scans | first 2 | save '\(folder.path)/out.ndjson'"], environment: Scansh.demoEnvironment())
    #expect(output.status == 5)
    #expect(output.stdout == "")
    #expect(
      output.stderr.hasSuffix(
        "\nerror: cannot save to \(folder.path)/out.ndjson: No such file or directory\n  in -c:1: scans | first 2 | save '\(folder.path)/out.ndjson'\n"
      )
    )
    #expect(!FileManager.default.fileExists(atPath: folder.path))
  }

  @Test func scriptsReportEveryParseErrorAndSendNothing() async throws {
    let simulator = try SimulatorProcess()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let script = folder.appendingPathComponent("bad.scansh").path
    try "scans | count\nscans | srot Name\nscans where progress ~ 5x\n".write(
      toFile: script, atomically: true, encoding: .utf8)
    let output = try await Scansh.run(["--endpoint", simulator.endpoint, script], environment: simulator.environment())
    #expect(output.status == 2)
    #expect(output.stdout == "")
    #expect(output.stderr.contains("\(script):2:9: error: unknown stage 'srot'"))
    #expect(output.stderr.contains("\(script):3:13: error: '~' compares text, but 'RunPercent' is a number"))
    #expect(try simulator.get("/_sim/stats").hasPrefix(#"{"requests":0,"#))
  }

  @Test func failedExpectExitsOne() async throws {
    let simulator = try SimulatorProcess()
    let output = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "-c", "scans where status = aborted | expect empty"],
      environment: simulator.environment())
    #expect(output.status == 1)
    #expect(output.stderr.hasPrefix("-c:1: expect failed: expected empty, but found "))
  }

  @Test func stdinIsAScript() async throws {
    let simulator = try SimulatorProcess()
    let output = try await Scansh.run(
      ["--endpoint", simulator.endpoint], stdin: "scans | count\nscans where status = running | count\n",
      environment: simulator.environment())
    #expect(output.status == 0)
    #expect(output.stdout == "250\n24\n")
  }

  @Test func apiErrorsExitThree() async throws {
    let simulator = try SimulatorProcess()
    let output = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "-c", "scans | count"],
      environment: simulator.environment(["ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong-secret"]))
    #expect(output.status == 3)
    #expect(
      output.stderr.hasPrefix(
        "error: SignatureDoesNotMatch: Specified signature is not matched with our calculation. (HTTP 400, RequestId "))
    #expect(output.stderr.hasSuffix("  in -c:1: scans | count\n"))
  }

  @Test func networkErrorsExitFourNamingTheEndpoint() async throws {
    let output = try await Scansh.run(
      ["--endpoint", "http://127.0.0.1:9/", "--timeout", "2s", "-c", "scans | count"],
      environment: Scansh.environmentWithKeys())
    #expect(output.status == 4)
    #expect(output.stderr.hasPrefix("error: network error talking to http://127.0.0.1:9/: could not connect"))
  }

  @Test func plainHTTPBeyondLoopbackIsRefused() async throws {
    let output = try await Scansh.run(
      ["--endpoint", "http://avds.example.com", "-c", "scans | count"],
      environment: Scansh.environmentWithKeys())
    #expect(output.status == 2)
    #expect(
      output.stderr
        == "error: refusing plain http:// to 'avds.example.com': the AccessKey ID and request signatures would travel unencrypted; use https:// (plain http is allowed only to loopback addresses)\n"
    )
  }

  @Test func demoModeWithoutCredentials() async throws {
    let output = try await Scansh.run(["-c", "scans | count\nscans where status = running | count"])
    #expect(output.status == 0)
    let counts = output.stdout.split(separator: "\n").compactMap { Int($0) }
    #expect(counts.count == 2)
    #expect(counts.first == 240)
    #expect((1..<240).contains(counts.last ?? 0))
    #expect(
      output.stderr == "scansh: demo mode: no credentials found, so statements run against the built-in simulator\n")
  }

  @Test func usageErrorsExitTwo() async throws {
    #expect(try await Scansh.run(["--page-size", "0", "-c", "scans"]).status == 2)
    #expect(
      try await Scansh.run(["/nonexistent/script.scansh"]).stderr.contains(
        "cannot read /nonexistent/script.scansh: no such file"))
  }

  @Test func verboseNeverShowsSecrets() async throws {
    let simulator = try SimulatorProcess([
      "--access-key-id", "LTAI5tFakeKeyId9876", "--access-key-secret", "FAKE-SECRET-123",
    ])
    let output = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "--verbose", "-c", "scans | first 150 | count\nshow config"],
      environment: Scansh.environment([
        "ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI5tFakeKeyId9876", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "FAKE-SECRET-123",
        "ALIBABA_CLOUD_SECURITY_TOKEN": "FAKE-STS-TOKEN-456",
      ]))
    #expect(output.status == 0)
    let everything = output.stdout + output.stderr
    #expect(everything.contains("> POST DescribeScans CurrentPage=1 PageSize=100 -> HTTP 200 in "))
    #expect(everything.contains("access key   LTAI****9876 (STS token set)"))
    for secret in ["FAKE-SECRET-123", "FAKE-STS-TOKEN-456", "LTAI5tFakeKeyId9876", "Signature"] {
      #expect(!everything.contains(secret), "\(secret) leaked")
    }
  }
}
