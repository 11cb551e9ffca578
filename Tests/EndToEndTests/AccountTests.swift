import Foundation
import TestSupport
import Testing

/// Several accounts in one statement: the built binary against `scansh sim --accounts 3`, with
/// an aliyun-cli config naming each account's key pair.
@Suite(.serialized)
struct AccountTests {
  final class Home: @unchecked Sendable {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-acct-\(UUID().uuidString)").path

    init(secretOfB: String = "testsecret2") throws {
      try FileManager.default.createDirectory(atPath: path + "/.aliyun", withIntermediateDirectories: true)
      let config = """
        {"current": "prod", "profiles": [
          {"name": "prod", "mode": "AK", "access_key_id": "testid", "access_key_secret": "testsecret"},
          {"name": "staging", "mode": "AK", "access_key_id": "testid2", "access_key_secret": "\(secretOfB)"},
          {"name": "dev", "mode": "AK", "access_key_id": "testid3", "access_key_secret": "testsecret3"}
        ]}
        """
      try Data(config.utf8).write(to: URL(fileURLWithPath: path + "/.aliyun/config.json"))
      chmod(path + "/.aliyun/config.json", 0o600)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var environment: [String: String] { Scansh.environment(["HOME": path]) }
  }

  static func run(_ simulator: SimulatorProcess, _ home: Home, _ arguments: [String], in folder: URL? = nil)
    async throws -> Scansh.Output
  {
    try await Scansh.run(
      ["--endpoint", simulator.endpoint] + arguments, environment: home.environment, directory: folder)
  }

  static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

  /// Lines ended by LF or CSV's CRLF (one Character in Swift, so not split by "\n").
  static func records(_ text: String) -> [String] { text.split(whereSeparator: \.isNewline).map(String.init) }

  @Test func theUnionIsTheAccountsListedInOrder() async throws {
    let simulator = try SimulatorProcess(["--accounts", "3"])
    let home = try Home()
    let statement = "scans | select Account, ScanId, Status | format ndjson"
    let all = try await Self.run(simulator, home, ["--profile", "prod,staging,dev", "-c", statement])
    #expect(all.status == 0, "\(all.stderr)")
    var each: [String] = []
    for profile in ["prod", "staging", "dev"] {
      let one = try await Self.run(simulator, home, ["--profile", profile, "-c", statement])
      #expect(one.stdout.contains("\"Account\":\"\(profile)\""))
      each += Self.lines(one.stdout)
    }
    // Row for row: grouped by account in the order named, pages in order within each.
    #expect(Self.lines(all.stdout) == each)
    #expect(each.count == 750)
    let everyProfile = try await Self.run(simulator, home, ["--all-profiles", "-c", statement])
    #expect(everyProfile.stdout == all.stdout)
    // group account counts what each account lists.
    let grouped = try await Self.run(simulator, home, ["--all-profiles", "-c", "scans | group account | format tsv"])
    #expect(Self.lines(grouped.stdout).dropFirst().sorted() == ["dev\t250", "prod\t250", "staging\t250"])
  }

  /// A plain listing's rows are made into text in each account's task; what prints is still each
  /// account's own listing, in order, in every format that prints a row at a time.
  @Test(arguments: ["ndjson", "csv", "json"])
  func plainListingsOfSeveralAccountsPrintEachAccountsOwn(_ format: String) async throws {
    let simulator = try SimulatorProcess(["--accounts", "3"])
    let home = try Home()
    let all = try await Self.run(simulator, home, ["--profile", "prod,staging,dev", "--format", format, "-c", "scans"])
    #expect(all.status == 0, "\(all.stderr)")
    var each: [[String]] = []
    for profile in ["prod", "staging", "dev"] {
      let one = try await Self.run(simulator, home, ["--profile", profile, "--format", format, "-c", "scans"])
      each.append(Self.records(one.stdout))
    }
    let expected: [String]
    switch format {
    case "csv": expected = each[0] + each[1].dropFirst() + each[2].dropFirst()
    case "json":
      // One array: each account's objects, a comma after every one but the last.
      let objects = each.flatMap { $0.dropFirst().dropLast() }.map { $0.hasSuffix(",") ? String($0.dropLast()) : $0 }
      expected =
        ["["] + objects.enumerated().map { $0.offset < objects.count - 1 ? $0.element + "," : $0.element } + ["]"]
    default: expected = each.flatMap { $0 }
    }
    let lines = Self.records(all.stdout)
    #expect(lines == expected)
    #expect(lines.count(where: { $0.contains("\"Account\":\"dev\"") || $0.hasSuffix(",dev") }) == 250)
  }

  @Test func findingsOfSeveralAccountsAreEachAccountsOwnAndDetailsAskTheirAccount() async throws {
    let simulator = try SimulatorProcess(["--accounts", "2"])
    let home = try Home()
    let statement = "findings where severity >= moderate | count"
    let both = try await Self.run(simulator, home, ["--profile", "prod,staging", "-c", statement])
    #expect(both.status == 0, "\(both.stderr)")
    var sum = 0
    for profile in ["prod", "staging"] {
      let one = try await Self.run(simulator, home, ["--profile", profile, "-c", statement])
      sum += Int(one.stdout.trimmingCharacters(in: .newlines)) ?? -1
    }
    #expect(Int(both.stdout.trimmingCharacters(in: .newlines)) == sum)
    // A finding's details come from the account that listed it: each answers, none is refused.
    let details = try await Self.run(
      simulator, home,
      [
        "--profile", "prod,staging", "-c",
        "findings where severity = important | select Account, Id, Cwe | format csv",
      ])
    #expect(details.status == 0, "\(details.stderr)")
    let rows = details.stdout.split(separator: "\r\n").dropFirst()
    #expect(Set(rows.map { $0.split(separator: ",")[0] }) == ["prod", "staging"])
    #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(",CWE-") })
  }

  @Test func pushdownAndCountArePerAccount() async throws {
    let simulator = try SimulatorProcess(["--accounts", "3"])
    let home = try Home()
    let counted = try await Self.run(
      simulator, home, ["--all-profiles", "-c", "scans where status = running | count"])
    #expect(counted.status == 0)
    let separate = try await Self.run(simulator, home, ["-c", "scans where status = running | count"])
    #expect(
      Int(counted.stdout.trimmingCharacters(in: .newlines))! > Int(separate.stdout.trimmingCharacters(in: .newlines))!)
    let log = try simulator.get("/_sim/log")
    // One request per account, each with the status pushed down, each signed by its own key.
    for key in ["testid", "testid2", "testid3"] {
      #expect(log.contains("\"AccessKeyId\":\"\(key)\""), "\(key)")
    }
    #expect(log.components(separatedBy: "\"StatusList.1\":\"running\"").count - 1 == 4)
    let explained = try await Self.run(
      simulator, home, ["--all-profiles", "-c", "explain scans where status = running | count"])
    #expect(explained.stdout.hasSuffix("accounts  prod, staging, dev: the requests above for each, at once\n"))
  }

  @Test func oneAccountFailingIsNamedAndNothingIsSaved() async throws {
    let simulator = try SimulatorProcess(["--accounts", "3"])
    let home = try Home(secretOfB: "wrong")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-acct-save-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let listed = try await Self.run(
      simulator, home, ["--all-profiles", "-c", "scans | select Account | format tsv"], in: folder)
    #expect(listed.status == 3)
    // The healthy accounts' rows are printed; the failure names its account.
    #expect(Set(Self.lines(listed.stdout).dropFirst()) == ["prod", "dev"])
    #expect(Self.lines(listed.stdout).count == 501)
    #expect(
      listed.stderr.hasPrefix(
        "error: account 'staging': SignatureDoesNotMatch: Specified signature is not matched with our calculation."))
    let saved = try await Self.run(
      simulator, home, ["--all-profiles", "-c", "scans | save all.ndjson"], in: folder)
    #expect(saved.status == 3)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    let gate = try await Self.run(simulator, home, ["--all-profiles", "-c", "scans | expect count > 0"], in: folder)
    #expect(gate.status == 3)
    #expect(!gate.stderr.contains("expect failed"))
    #expect(gate.stderr.hasPrefix("error: account 'staging': SignatureDoesNotMatch"))
  }

  @Test func oneAccountThrottledLeavesTheOthersAlone() async throws {
    let simulator = try SimulatorProcess(["--accounts", "3"])
    let home = try Home()
    _ = try simulator.post("/_sim/throttle?next=4&account=2&retryAfter=5")
    let output = try await Self.run(
      simulator, home, ["--all-profiles", "--verbose", "-c", "scans | group account | format tsv"])
    #expect(output.status == 0, "\(output.stderr)")
    #expect(Self.lines(output.stdout).dropFirst().sorted() == ["dev\t250", "prod\t250", "staging\t250"])
    #expect(output.stderr.contains("Throttling.User"))
    let stats = try simulator.get("/_sim/stats")
    #expect(stats.contains("\"byCode\":{\"Throttling.User\":4}"), "\(stats)")
  }

  @Test func demoModeHasTwoAccountsAndThePromptShowsThem() async throws {
    let output = try await Scansh.run(
      ["--demo", "--profile", "demo,demo-dev", "-c", "scans | group account | format tsv"],
      environment: Scansh.demoEnvironment())
    #expect(output.stdout == "Account\tcount\ndemo\t240\ndemo-dev\t240\n")
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-acct-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: state) }
    let terminal = try PseudoTerminal(
      arguments: ["--demo", "--profile", "demo,demo-dev"],
      environment: Scansh.demoEnvironment().merging(["XDG_STATE_HOME": state]) { $1 })
    try await terminal.waitForLine("scansh(demo+demo-dev)>")
    terminal.type("use demo\r")
    try await terminal.waitForLine("scansh(demo)>")
    terminal.type("use all\r")
    try await terminal.waitForLine("scansh(demo+demo-dev)>")
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }
}
