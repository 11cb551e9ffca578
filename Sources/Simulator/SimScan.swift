import ScanAPI

/// A scan task with a life: it waits, runs, finishes or aborts, and (periodic ones) runs again, as
/// simulated time passes. `snapshot(at:)` renders it as DescribeScans would show it then.
struct SimScan: Sendable {
  /// The fields that do not change with time.
  var base: Scan
  let id: String
  var status: String
  var runStartMs: Int64?
  var runDurationMs: Int64
  var endMs: Int64?
  var nextRunMs: Int64?
  /// Periodic tasks run again this long after a run ends.
  var periodMs: Int64?
  var lastScheduleMs: Int64?
  /// A run that will abort at this percentage instead of finishing.
  var abortAtPercent: Double?
  /// Name and targets, lower-cased, for `Search`.
  let searchText: [String]
  /// Runs before the last one, oldest first: DescribeScanSessions lists them too.
  var pastRuns: [(startMs: Int64, endMs: Int64, aborted: Bool, percent: Double)] = []

  init(base: Scan, status: String, runDurationMs: Int64) {
    self.base = base
    self.id = base.scanId ?? ""
    self.status = status
    self.runDurationMs = max(1, runDurationMs)
    var text: [String] = []
    if let name = base[.name]?.text { text.append(name.lowercased()) }
    if case .list(let targets) = base[.targets] { text += targets.map { $0.lowercased() } }
    searchText = text
  }

  /// True while time can still change this scan.
  var isLive: Bool {
    switch status {
    case "running": true
    case "waiting": nextRunMs != nil
    case "finished", "aborted": periodMs != nil && nextRunMs != nil
    default: false
    }
  }

  mutating func advance(to now: Int64) {
    for _ in 0..<64 {  // each pass makes one transition; a bound keeps a tiny period from spinning
      switch status {
      case "waiting", "finished", "aborted":
        guard let next = nextRunMs, now >= next, status == "waiting" || periodMs != nil else { return }
        if let start = runStartMs, let end = endMs {
          let percent = snapshot(at: now)[.runPercent]?.numberValue ?? 100
          pastRuns.append((start, end, status == "aborted", percent))
        }
        status = "running"
        runStartMs = next
        lastScheduleMs = next
        endMs = nil
        nextRunMs = nil
      case "running":
        guard let start = runStartMs else { return }
        let fraction = (abortAtPercent ?? 100) / 100
        let end = start + Int64(Double(runDurationMs) * fraction)
        guard now >= end else { return }
        status = abortAtPercent == nil ? "finished" : "aborted"
        endMs = end
        abortAtPercent = nil
        if let periodMs { nextRunMs = end + periodMs }
      default:
        return
      }
    }
  }

  func snapshot(at now: Int64) -> Scan {
    var scan = base
    scan[.status] = .string(status)
    switch status {
    case "running":
      let start = runStartMs ?? now
      let percent = min(99.9, max(0, Double(now - start) / Double(runDurationMs) * 100))
      scan[.runPercent] = .number((percent * 10).rounded(.down) / 10)
      scan[.jobStatistics] = .string("running")
    case "finished":
      scan[.runPercent] = .number(100)
      scan[.jobStatistics] = .string("finished")
    case "aborted":
      if let start = runStartMs, let end = endMs {
        scan[.runPercent] = .number((Double(end - start) / Double(runDurationMs) * 1000).rounded(.down) / 10)
      }
      scan[.jobStatistics] = .string("aborted")
    default:
      scan[.runPercent] = .number(0)
    }
    if let runStartMs {
      scan[.startDate] = .number(Double(runStartMs))
      scan[.runtimeStart] = .string(String(runStartMs))
    }
    if let endMs, status != "running" {
      scan[.endDate] = .number(Double(endMs))
      scan[.runtimeEnd] = .string(String(endMs))
    }
    if let nextRunMs { scan[.nextRunDate] = .number(Double(nextRunMs)) }
    if let lastScheduleMs { scan[.lastSheduleDate] = .number(Double(lastScheduleMs)) }
    return scan
  }
}
