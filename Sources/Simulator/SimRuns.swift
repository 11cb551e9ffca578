import ScanAPI
import Vocabulary

/// One run of a scan task as DescribeScanSessions shows it, and what it found.
struct SimRun: Sendable {
  var taskId: Int64
  var status: String
  var createdMs: Int64
  var finishedMs: Int64?
  var percent: Double
  /// Index of the task in the store.
  var scan: Int
}

/// What a finished or running run found: derived from the run's TaskId and the seed alone, so the
/// scan data (and demo mode's first screens) do not change with it, and the same every time.
struct SimFinding: Sendable {
  var id: Int64
  var template: VulnerabilityTemplate
  var severity: Int
  var status: Int
  var target: String
  var hostname: String
  var discoveredMs: Int64
  var run: SimRun
}

/// A hash of a few numbers and a string, stable across runs and machines.
func stableHash(_ text: String, _ numbers: Int64...) -> UInt64 {
  var hash: UInt64 = 0xCBF2_9CE4_8422_2325
  for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
  for number in numbers { hash = (hash ^ UInt64(bitPattern: number)) &* 0x100_0000_01B3 }
  var mix = SplitMix64(seed: hash)
  return mix.next()
}

extension SimScan {
  /// The task's runs at `now`, newest first: the one under way (or the last), then the past ones.
  func runs(at now: Int64, index: Int) -> [SimRun] {
    var runs: [SimRun] = []
    func taskId(_ start: Int64) -> Int64 { Int64(stableHash(id, start) % 9_000_000_000_000) + 1_000_000_000_000 }
    switch status {
    case "waiting":
      // Queued a day before it is due to start.
      let queued = min(now, (nextRunMs ?? now) - 86_400_000)
      runs.append(SimRun(taskId: taskId(nextRunMs ?? 0), status: "waiting", createdMs: queued, percent: 0, scan: index))
    case "running", "finished", "aborted":
      if let start = runStartMs {
        let snapshot = snapshot(at: now)
        runs.append(
          SimRun(
            taskId: taskId(start), status: status, createdMs: start, finishedMs: status == "running" ? nil : endMs,
            percent: snapshot[.runPercent]?.numberValue ?? 0, scan: index))
      }
    default:
      if let start = runStartMs, let end = endMs {
        runs.append(
          SimRun(
            taskId: taskId(start), status: "finished", createdMs: start, finishedMs: end, percent: 100, scan: index))
      }
    }
    for past in pastRuns.reversed() {
      runs.append(
        SimRun(
          taskId: taskId(past.startMs), status: past.aborted ? "aborted" : "finished", createdMs: past.startMs,
          finishedMs: past.endMs, percent: past.aborted ? past.percent : 100, scan: index))
    }
    return runs
  }

  /// The run as DescribeScanSessions lists it, with its report's state.
  func sessionRecord(_ run: SimRun, report: SimReport) -> Scan {
    let resource = Resource.sessions
    var record = Scan(resource: resource)
    func set(_ name: String, _ value: FieldValue?) { record.values[resource.index(of: name)!] = value }
    set("TaskId", .string(String(run.taskId)))
    set("ScanId", .string(id))
    set("Name", base[.name])
    set("JobStatus", .string(run.status))
    set("RunPercent", .number(run.percent))
    set("CreatedAt", .number(Double(run.createdMs)))
    set("FinishedAt", run.finishedMs.map { .number(Double($0)) })
    set("Targets", base[.targets])
    set("TriggerType", base[.triggerType])
    set("Period", base[.period])
    set("Interval", base[.interval])
    set("ReportStatus", .string(report.status))
    set("ReportUrl", report.link.map { .string($0) })
    return record
  }

  /// What a run has found by `now`: a finished run all of it, a running one what it reached.
  func findings(of run: SimRun, seed: UInt64) -> [SimFinding] {
    guard run.status != "waiting" else { return [] }
    var random = SplitMix64(seed: stableHash("findings", run.taskId, Int64(bitPattern: seed)))
    let count = random.weighted([(0, 2), (1, 2), (2, 3), (3, 3), (4, 2), (6, 2), (9, 1)])
    let targets =
      base[.targets].map { value -> [String] in if case .list(let items) = value { items } else { [] } } ?? []
    guard !targets.isEmpty else { return [] }
    var found: [SimFinding] = []
    var usedKeys = Set<String>()
    let duration = max(1, (run.finishedMs ?? run.createdMs + runDurationMs) - run.createdMs)
    for number in 0..<count {
      let template = random.weighted(VulnerabilityCatalog.templates)
      let host = random.pick(targets)
      let scheme = random.weighted([("https", 3), ("http", 2)])
      let port = random.weighted([("", 6), (":8080", 1), (":8443", 1)])
      let target = "\(scheme)://\(host)\(port)\(template.path)"
      // A name appears once per target URL.
      guard usedKeys.insert(template.name + target).inserted else { continue }
      let severity = random.chance(0.2) ? max(0, template.severity - 1) : template.severity
      let status = random.weighted([(0, 14), (1, 3), (2, 1), (3, 2)])
      let at = Double(number + 1) / Double(count + 1)
      if run.percent < at * 100 { continue }
      found.append(
        SimFinding(
          id: run.taskId * 100 + Int64(number), template: template, severity: severity, status: status,
          target: target, hostname: host, discoveredMs: run.createdMs + Int64(Double(duration) * at), run: run))
    }
    return found
  }
}

extension SimFinding {
  /// A small JSON object as text: what `Data` and `Args` hold.
  static func json(_ members: [(String, FieldValue)]) -> String {
    var writer = JSONWriter()
    writer.object(
      Row(values: members.map(\.1)), columns: members.map { Column(name: $0.0, kind: .string) })
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  /// The finding as DescribeAllVulnerabilities lists it, or with `details` as DescribeVulnerability
  /// gives it.
  func record(details: Bool) -> Scan {
    let resource = Resource.findings
    var record = Scan(resource: resource)
    func set(_ name: String, _ value: FieldValue?) { record.values[resource.index(of: name)!] = value }
    set("Id", .string(String(id)))
    set("Name", .string(template.name))
    set("Severity", .number(Double(severity)))
    set("Status", .number(Double(status)))
    set("Target", .string(target))
    set("Hostname", .string(hostname))
    set("LastDiscoveredAt", .number(Double(discoveredMs)))
    set("TaskId", .string(String(run.taskId)))
    set("VulType", .number(Double(template.vulType)))
    set("VulnerabilityTypeDes", .string(template.commonType))
    guard details else { return record }
    set("Description", .string(template.description))
    set("Impact", .string(template.impact))
    set("Solution", .string(template.solution))
    let request =
      "GET \(template.path)\(template.parameter.isEmpty ? "" : "?\(template.parameter)=\(template.payload)") HTTP/1.1"
    set("Poc", .string("\(request)\nHost: \(hostname)\n\n<p>The response confirms the issue.</p>"))
    set("Reference", .string("https://cwe.mitre.org/data/definitions/\(template.cwe.dropFirst(4)).html"))
    set("CommonType", .string(template.commonType))
    set("Cwe", .string(template.cwe))
    set("Owasp", .string(template.owasp))
    set("Wasc", .string(template.wasc))
    set(
      "Data",
      .string(Self.json([("request", .string(request)), ("status", .number(template.severity >= 2 ? 500 : 200))])))
    set("Args", .string(Self.json([("param", .string(template.parameter)), ("payload", .string(template.payload))])))
    return record
  }
}

/// A report asked for with GenerateVulReport: made `SimReport.generationMs` of simulated time
/// after it was asked for, unless it was set to fail.
struct SimReportJob: Sendable {
  var requestedMs: Int64
  var fails: Bool
}

/// A run's report as DescribeScanSessions shows it: its status and, once made, a signed link. The
/// link is a path on the simulator itself (`/reports/<TaskId>`); the server puts the host the
/// request came to in front of it, so it works from wherever the simulator is reached.
struct SimReport: Sendable, Equatable {
  /// How long a report takes to make, in simulated time.
  static let generationMs: Int64 = 30_000
  /// How long a link stays valid, in simulated time.
  static let linkLifetimeMs: Int64 = 3_600_000

  var status: String
  var link: String?
  /// When the report was made (what its link's signature covers).
  var madeMs: Int64?

  /// The report of `run` at `nowMs`: a finished run has one already (made when it finished);
  /// one asked for is `running` until made, then `finished` or `failed`; a waiting run cannot
  /// have one.
  init(run: SimRun, job: SimReportJob?, nowMs: Int64) {
    if let job {
      if run.status == "waiting" || (job.fails && nowMs >= job.requestedMs + Self.generationMs) {
        status = "failed"
      } else if nowMs < job.requestedMs + Self.generationMs {
        status = "running"
      } else {
        status = "finished"
        madeMs = job.requestedMs + Self.generationMs
      }
    } else if run.status == "finished" {
      status = "finished"
      madeMs = run.finishedMs ?? run.createdMs
    } else {
      status = "inexistent"
    }
    if let madeMs {
      let expires = (max(nowMs, madeMs) + Self.linkLifetimeMs) / 1000
      link =
        "/reports/\(run.taskId)?Expires=\(expires)&OSSAccessKeyId=simulator&Signature="
        + Self.signature(taskId: run.taskId, madeMs: madeMs, expires: expires)
    }
  }

  static func signature(taskId: Int64, madeMs: Int64, expires: Int64) -> String {
    String(stableHash("report-link", taskId, madeMs, expires), radix: 16)
  }
}
