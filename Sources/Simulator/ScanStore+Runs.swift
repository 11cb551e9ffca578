import ScanAPI

/// DescribeScanSessions, DescribeAllVulnerabilities and DescribeVulnerability over the same tasks:
/// every run of every task, newest first, and what the runs found, as simulated time has them.
extension ScanStore {
  /// The runs `query` selects, newest first: each with its task's index.
  mutating func runs(_ query: Query) -> [(run: SimRun, scan: SimScan)] {
    advanceTime()
    let nowMs = nowMs()
    var runs: [(run: SimRun, scan: SimScan)] = []
    for (index, scan) in scans.enumerated() {
      if let scanId = query.filter.scanId, scan.id != scanId { continue }
      for run in scan.runs(at: nowMs, index: index) where query.matches(run, of: scan) { runs.append((run, scan)) }
    }
    return runs.sorted { ($0.run.createdMs, $0.run.taskId) > ($1.run.createdMs, $1.run.taskId) }
  }

  mutating func sessionsPage(_ query: Query) -> (totalCount: Int, rows: [Scan]) {
    let runs = runs(query)
    let nowMs = nowMs()
    return Self.page(runs, query) {
      $0.scan.sessionRecord($0.run, report: SimReport(run: $0.run, job: reportJobs[$0.run.taskId], nowMs: nowMs))
    }
  }

  /// GenerateVulReport: each run's report is made anew from now; the first `failing` of them fail.
  /// TaskIds of no run are left out.
  mutating func generateReports(_ taskIds: [Int64], failing: inout Int) {
    advanceTime()
    let nowMs = nowMs()
    for taskId in taskIds where run(taskId: taskId) != nil {
      reportJobs[taskId] = SimReportJob(requestedMs: nowMs, fails: failing > 0)
      if failing > 0 { failing -= 1 }
    }
  }

  /// The run with this TaskId, and its task.
  func run(taskId: Int64) -> (run: SimRun, scan: SimScan)? {
    let nowMs = nowMs()
    for (index, scan) in scans.enumerated() {
      if let run = scan.runs(at: nowMs, index: index).first(where: { $0.taskId == taskId }) { return (run, scan) }
    }
    return nil
  }

  /// The report a link names, if the link is valid now: an HTML page of what the run found.
  mutating func reportDocument(taskId: Int64, expires: Int64, signature: String) -> Result<String, SimReportRefusal> {
    advanceTime()
    let nowMs = nowMs()
    guard let (run, scan) = run(taskId: taskId) else { return .failure(.noSuchKey) }
    let report = SimReport(run: run, job: reportJobs[taskId], nowMs: nowMs)
    guard let madeMs = report.madeMs, report.status == "finished" else { return .failure(.noSuchKey) }
    guard signature == SimReport.signature(taskId: taskId, madeMs: madeMs, expires: expires) else {
      return .failure(.signatureDoesNotMatch)
    }
    guard expires * 1000 >= nowMs else { return .failure(.expired) }
    return .success(
      SimReportDocument.html(run: run, scan: scan, findings: scan.findings(of: run, seed: configuration.seed)))
  }

  /// Findings newest first (by when they were found), then by Id.
  mutating func findings(_ query: Query) -> [SimFinding] {
    advanceTime()
    let nowMs = nowMs()
    if let cached = lastFindings, cached.key == query.filter, cached.version == version, cached.nowMs == nowMs {
      return cached.found
    }
    var runQuery = Query()
    runQuery.filter.scanId = query.filter.scanId
    let seed = configuration.seed
    var found: [SimFinding] = []
    for (run, scan) in runs(runQuery) {
      if let taskId = query.filter.taskId, String(run.taskId) != taskId { continue }
      found += scan.findings(of: run, seed: seed).filter(query.matches)
    }
    found.sort { ($0.discoveredMs, $0.id) > ($1.discoveredMs, $1.id) }
    lastFindings = (query.filter, version, nowMs, found)
    return found
  }

  mutating func findingsPage(_ query: Query) -> (totalCount: Int, rows: [Scan]) {
    Self.page(findings(query), query) { $0.record(details: false) }
  }

  /// One finding with its details, if some run found it: the run is the one its Id names.
  mutating func finding(id: String) -> Scan? {
    guard let number = Int64(id) else { return nil }
    advanceTime()
    let nowMs = nowMs()
    for (index, scan) in scans.enumerated() {
      for run in scan.runs(at: nowMs, index: index) where run.taskId == number / 100 {
        return scan.findings(of: run, seed: configuration.seed).first { $0.id == number }?.record(details: true)
      }
    }
    return nil
  }

  private static func page<Item>(_ items: [Item], _ query: Query, _ record: (Item) -> Scan) -> (
    totalCount: Int, rows: [Scan]
  ) {
    let start = (query.currentPage - 1) * query.pageSize
    guard start < items.count else { return (items.count, []) }
    return (items.count, items[start..<min(items.count, start + query.pageSize)].map(record))
  }
}
