import QueryEngine
import QueryLanguage
import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// `report TASKID… to DIR` and `sessions … | report to DIR`: GenerateVulReport for the runs, then
/// DescribeScanSessions (by each run's ScanId) with backoff until every run's `ReportStatus` is
/// `finished` or `failed` or the time is up, each finished report downloaded as it is ready and
/// saved atomically as `DIR/<TaskId>.<ext>`. What failed or timed out is named; the rest is saved.
extension Session {
  /// How long reports are waited for when the statement does not say (`for 10m`).
  static let defaultReportLimit: Duration = .seconds(600)
  /// The first pause between polls, doubled after each up to `maxReportPoll`.
  static let firstReportPoll: Duration = .seconds(1)
  static let maxReportPoll: Duration = .seconds(15)
  /// TaskIds per GenerateVulReport call.
  static let reportBatch = 20

  struct ReportRun: Sendable, Hashable {
    var account: String
    var taskId: String
    var scanId: String
  }

  /// `report TASKID, … to DIR`: the runs are found by listing them (DescribeScanSessions cannot
  /// filter by TaskId), then their reports made and saved.
  func runReportCommand(taskIds: [Located<String>], spec: ReportSpec, source: SourceText) async throws {
    let pipeline = Pipeline(
      source: .listing(.sessions, search: nil, filter: nil, span: spec.directory.span), stages: [],
      span: spec.directory.span)
    let bound = try bindOrThrow(pipeline, source: source)
    let wanted = Set(taskIds.map(\.value))
    var found: [String: ReportRun] = [:]
    let taskColumn = Resource.sessions.key
    let scanColumn = bound.output.index(of: "ScanId")!
    let accountColumn = bound.output.columns.firstIndex(role: .account)
    let stream = try await evaluator.open(Planner(settings: settings.plan).plan(bound, source: source))
    while found.count < wanted.count, let row = try await stream.next() {
      guard let taskId = row.values[taskColumn]?.text, wanted.contains(taskId), found[taskId] == nil,
        let scanId = row.values[scanColumn]?.text
      else { continue }
      let account = accountColumn.flatMap { row.values[$0]?.text } ?? accounts.first ?? "env"
      found[taskId] = ReportRun(account: account, taskId: taskId, scanId: scanId)
    }
    await options.rowsRead?()
    if let missing = taskIds.first(where: { found[$0.value] == nil }) {
      throw Diagnostic(
        "no run has TaskId \(missing.value)", at: missing.span,
        help: "the runs and their TaskIds: sessions | select TaskId, ScanId, Name, JobStatus")
    }
    try await saveReports(
      of: taskIds.compactMap { found[$0.value] }, spec: spec.directory.value,
      limit: spec.limit.map { .milliseconds($0.value) })
  }

  /// `… | report to DIR`: the runs are the rows before the stage.
  func runReportStage(_ bound: BoundPipeline, report: BoundReport, source: SourceText) async throws {
    let before = bound.prefix(report.stageIndex)
    let accountColumn = before.output.columns.firstIndex(role: .account)
    let stream = try await evaluator.open(Planner(settings: settings.plan).plan(before, source: source))
    var runs: [ReportRun] = []
    var seen = Set<ReportRun>()
    while let row = try await stream.next() {
      guard let taskId = row.values[report.taskIdColumn]?.text, let scanId = row.values[report.scanIdColumn]?.text
      else { continue }
      let account = accountColumn.flatMap { row.values[$0]?.text } ?? accounts.first ?? "env"
      let run = ReportRun(account: account, taskId: taskId, scanId: scanId)
      if seen.insert(run).inserted { runs.append(run) }
    }
    try await stream.finish()
    await options.rowsRead?()
    guard !runs.isEmpty else {
      errors.write("report: no runs, so no reports\n")
      return
    }
    try await saveReports(of: runs, spec: report.directory, limit: report.limit)
  }

  private enum ReportState: Sendable {
    case waiting
    case saved(path: String, bytes: Int)
    case failed(String)
  }

  private func saveReports(of runs: [ReportRun], spec directory: String, limit: Duration?) async throws {
    let limit = limit ?? Self.defaultReportLimit
    let folder = evaluator.resolve(directory)
    do {
      try PathText.makeFolders(folder)
    } catch {
      throw EvaluationError.save(path: directory, reason: "cannot make the folder (\(error.reason))")
    }
    let clients = Dictionary(try await evaluator.accounts().map { ($0.name, $0.client) }) { first, _ in first }
    func client(_ run: ReportRun) throws -> ScanClient {
      guard let client = clients[run.account] ?? clients.values.first else {
        throw ShellError.notAvailable("no account '\(run.account)' to ask for the report of run \(run.taskId)")
      }
      return client
    }
    // Asked for per account, a batch at a time.
    var byAccount: [String: [ReportRun]] = [:]
    for run in runs { byAccount[run.account, default: []].append(run) }
    for (_, mine) in byAccount.sorted(by: { $0.key < $1.key }) {
      for start in stride(from: 0, to: mine.count, by: Self.reportBatch) {
        let batch = Array(mine[start..<min(mine.count, start + Self.reportBatch)])
        try await client(batch[0]).generateReport(
          taskIds: batch.map(\.taskId), lang: settings.lang, sourceIp: settings.sourceIp)
      }
    }
    var states = Dictionary(uniqueKeysWithValues: runs.map { ($0, ReportState.waiting) })
    let clock = watchClock
    let started = clock.monotonic()
    var pause = Self.firstReportPoll
    let status = ReportStatusLine(errors: errors, enabled: isatty(2) != 0)
    defer { status.clear() }
    while true {
      // One listing per task with runs still waiting: their ReportStatus and ReportUrl.
      let waiting = runs.filter { if case .waiting = states[$0]! { true } else { false } }
      if waiting.isEmpty { break }
      var byScan: [ReportRun: (status: String?, link: String?)] = [:]
      for scan in Set(waiting.map { RunScan(account: $0.account, scanId: $0.scanId) }) {
        let mine = waiting.filter { $0.account == scan.account && $0.scanId == scan.scanId }
        let found = try await reportStates(
          of: Set(mine.map(\.taskId)), scanId: scan.scanId, client: try client(mine[0]))
        for run in mine { byScan[run] = found[run.taskId] ?? (nil, nil) }
      }
      for run in waiting {
        guard let (reportStatus, link) = byScan[run] else { continue }
        switch (reportStatus, link) {
        case (nil, _):
          states[run] = .failed("the run is no longer listed")
        case ("finished", let link?) where !link.isEmpty:
          status.clear()
          let file = try await client(run).download(link)
          let name = "\(run.taskId).\(file.fileExtension(link: link))"
          let path = PathText.appending(name, to: folder)
          do {
            try AtomicFile.write(file.data, to: path)
          } catch {
            throw EvaluationError.save(path: PathText.appending(name, to: directory), reason: error.reason)
          }
          let shown = PathText.appending(name, to: directory)
          states[run] = .saved(path: shown, bytes: file.data.count)
          errors.write("saved the report of run \(run.taskId) to \(shown) (\(Self.bytes(file.data.count)))\n")
        case ("failed", _):
          states[run] = .failed("the service could not make it (ReportStatus failed)")
        default:
          break
        }
      }
      let left = runs.filter { if case .waiting = states[$0]! { true } else { false } }
      if left.isEmpty { break }
      let elapsed = clock.monotonic() - started
      guard elapsed < limit else {
        for run in left { states[run] = .failed("not ready after \(DurationText.format(limit))") }
        break
      }
      let saved = runs.count - left.count
      status.show(
        "reports: \(saved) of \(runs.count) saved, \(left.count) being made (\(DurationText.format(.seconds(elapsed.components.seconds))))"
      )
      try await clock.sleep(for: min(pause, limit - elapsed))
      pause = min(pause * 2, Self.maxReportPoll)
    }
    let failed = runs.compactMap { run -> String? in
      if case .failed(let why) = states[run]! { return "run \(run.taskId): \(why)" }
      return nil
    }
    guard failed.isEmpty else {
      throw ShellError.reportsNotSaved(failed, saved: runs.count - failed.count, of: runs.count)
    }
  }

  private struct RunScan: Hashable {
    var account: String
    var scanId: String
  }

  /// The ReportStatus and ReportUrl of these runs of one task.
  private func reportStates(of taskIds: Set<String>, scanId: String, client: ScanClient) async throws -> [String: (
    status: String?, link: String?
  )] {
    let resource = Resource.sessions
    let reportStatus = resource.index(of: "ReportStatus")!
    let reportUrl = resource.index(of: "ReportUrl")!
    return try await client.runs(ofScan: scanId, taskIds: taskIds, pageSize: settings.pageSize).mapValues { run in
      (run.values[reportStatus]?.text, run.values[reportUrl]?.text)
    }
  }

  static func bytes(_ count: Int) -> String {
    if count < 1024 { return "\(count) bytes" }
    if count < 1 << 20 { return DecimalText.fixed(Double(count) / 1024, places: 1) + " KiB" }
    return DecimalText.fixed(Double(count) / Double(1 << 20), places: 1) + " MiB"
  }
}

/// A line on a terminal's stderr saying how the reports are coming, redrawn in place.
final class ReportStatusLine {
  private let errors: any TextSink
  private let enabled: Bool
  private var shown = false

  init(errors: any TextSink, enabled: Bool) {
    self.errors = errors
    self.enabled = enabled
  }

  func show(_ text: String) {
    guard enabled else { return }
    errors.write("\r\u{1B}[K" + text)
    shown = true
  }

  func clear() {
    guard enabled, shown else { return }
    errors.write("\r\u{1B}[K")
    shown = false
  }
}
