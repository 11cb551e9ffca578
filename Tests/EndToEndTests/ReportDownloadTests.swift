import Foundation
import TestSupport
import Testing

/// `report`: GenerateVulReport, polling the runs, downloading the links, against `scansh sim`
/// with its clock stopped: a report is made only when the test moves simulated time on.
@Suite(.serialized)
struct ReportDownloadTests {
  /// Starts scansh on `statement` in `folder`; the caller waits for it.
  static func start(_ statement: String, simulator: SimulatorProcess, folder: Folder) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Scansh.path)
    process.arguments = ["--endpoint", simulator.endpoint, "-c", statement]
    process.environment = simulator.environment()
    process.currentDirectoryURL = folder.url
    let errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    try process.run()
    return (process, errors)
  }

  static func finish(_ process: Process, _ errors: Pipe) async throws -> String {
    let text = try await offload { errors.fileHandleForReading.readDataToEndOfFile() }
    try await offload { process.waitUntilExit() }
    return String(decoding: text, as: UTF8.self)
  }

  /// Waits until the simulator has been asked for reports, then lets simulated time pass.
  static func makeReports(_ simulator: SimulatorProcess) async throws {
    try await eventually("GenerateVulReport at the simulator") {
      try simulator.get("/_sim/stats").contains("\"GenerateVulReport\":1")
    }
    try simulator.post("/_sim/advance?by=1m")
  }

  static func taskIds(_ simulator: SimulatorProcess, first count: Int) async throws -> [String] {
    let listed = try await Scansh.run(
      [
        "--endpoint", simulator.endpoint, "-c",
        "sessions where status = finished | first \(count) | select TaskId | format csv",
      ], environment: simulator.environment())
    return listed.stdout.split(separator: "\r\n").dropFirst().map(String.init)
  }

  @Test func reportsOfRunsAreSaved() async throws {
    let simulator = try SimulatorProcess()
    let folder = try Folder()
    let ids = try await Self.taskIds(simulator, first: 2)
    #expect(ids.count == 2)
    try simulator.post("/_sim/log/clear")
    let (process, errors) = try Self.start(
      "sessions where status = finished | first 2 | report to out", simulator: simulator, folder: folder)
    try await Self.makeReports(simulator)
    let stderr = try await Self.finish(process, errors)
    #expect(process.terminationStatus == 0, "\(stderr)")
    let saved = try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("out").path)
    #expect(saved.sorted() == ids.map { "\($0).html" }.sorted())
    for id in ids {
      let report = try String(contentsOf: folder.url.appendingPathComponent("out/\(id).html"), encoding: .utf8)
      #expect(report.hasPrefix("<!DOCTYPE html>\n"))
      #expect(report.contains("run \(id) (finished)"))
      #expect(stderr.contains("saved the report of run \(id) to out/\(id).html ("))
    }
    // The calls: the listing, one GenerateVulReport for both, polls by ScanId, two downloads.
    let log = try simulator.get("/_sim/log")
    #expect(log.contains("\"TaskIds.1\":\"\(ids[0])\",\"TaskIds.2\":\"\(ids[1])\""))
    #expect(log.contains("\"Report\":\"\(ids[0])\""))
    #expect(log.contains("\"Report\":\"\(ids[1])\""))
    #expect(!log.contains("\"Signature\"") && !log.contains("Signature="))
  }

  /// One report fails: it is named, the other is saved, and the exit code is 3.
  @Test func aFailedReportIsNamedAndTheOthersSaved() async throws {
    let simulator = try SimulatorProcess()
    let folder = try Folder()
    let ids = try await Self.taskIds(simulator, first: 2)
    try simulator.post("/_sim/report-failures?next=1")
    let (process, errors) = try Self.start(
      "report \(ids[0]), \(ids[1]) to out", simulator: simulator, folder: folder)
    try await Self.makeReports(simulator)
    let stderr = try await Self.finish(process, errors)
    #expect(process.terminationStatus == 3)
    #expect(
      stderr.hasSuffix(
        "saved the report of run \(ids[1]) to out/\(ids[1]).html ("
          + "\(try Data(contentsOf: folder.url.appendingPathComponent("out/\(ids[1]).html")).count) bytes)\n"
          + "error: 1 of 2 reports were not saved:\n"
          + "  run \(ids[0]): the service could not make it (ReportStatus failed)\n"
          + "  in -c:1: report \(ids[0]), \(ids[1]) to out\n"))
    #expect(try folder.list() == ["out"])
  }

  /// Time runs out (simulated time never moves here): nothing is saved, the run is named.
  @Test func aReportNotReadyInTimeIsNamed() async throws {
    let simulator = try SimulatorProcess()
    let folder = try Folder()
    let ids = try await Self.taskIds(simulator, first: 1)
    let (process, errors) = try Self.start("report \(ids[0]) to out for 1s", simulator: simulator, folder: folder)
    let stderr = try await Self.finish(process, errors)
    #expect(process.terminationStatus == 3)
    #expect(
      stderr.hasSuffix(
        "error: 1 of 1 report was not saved:\n  run \(ids[0]): not ready after 1s\n  in -c:1: report \(ids[0]) to out for 1s\n"
      ))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("out").path) == [])
  }

  /// Ctrl-C while waiting: exit 130 and no file, whole or partial.
  @Test func interruptedLeavesNoFile() async throws {
    let simulator = try SimulatorProcess()
    let folder = try Folder()
    let (process, errors) = try Self.start(
      "sessions where status = finished | first 2 | report to out", simulator: simulator, folder: folder)
    try await eventually("GenerateVulReport at the simulator") {
      try simulator.get("/_sim/stats").contains("\"GenerateVulReport\":1")
    }
    kill(process.processIdentifier, SIGINT)
    _ = try await Self.finish(process, errors)
    #expect(process.terminationStatus == 130)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("out").path) == [])
  }

  @Test func reportNeedsRunsAndKnownTaskIds() async throws {
    let simulator = try SimulatorProcess()
    let scans = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "-c", "scans | first 2 | report to out"], environment: simulator.environment())
    #expect(scans.status == 2)
    #expect(
      scans.stderr
        == """
        -c:1:19: error: 'report' saves the reports of runs, but these rows are scans
          scans | first 2 | report to out
                            ^^^^^^
        help: add '| sessions' before it: scans where … | sessions | report to reports

        """)
    let unknown = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "-c", "report 42 to out"], environment: simulator.environment())
    #expect(unknown.status == 2)
    #expect(unknown.stderr.hasPrefix("-c:1:8: error: no run has TaskId 42\n"))
    #expect(try simulator.get("/_sim/stats").contains("\"GenerateVulReport\"") == false)
  }
}
