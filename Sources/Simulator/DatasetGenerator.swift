import ScanAPI

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Generates a realistic, deterministic set of scan tasks around a simulated epoch: names and
/// targets as teams write them (some in Chinese), a status mix with some running and waiting,
/// periodic tasks with a Period and a NextRunDate. Same seed and epoch, same data.
struct DatasetGenerator {
  static let minute: Int64 = 60_000
  static let hour: Int64 = 60 * minute
  static let day: Int64 = 24 * hour

  private var random: SplitMix64
  private let epochMs: Int64
  private var usedIds = Set<String>()

  init(seed: UInt64, epochMs: Int64) {
    random = SplitMix64(seed: seed)
    self.epochMs = epochMs
  }

  /// `count` scans, newest first.
  mutating func scans(count: Int) -> [SimScan] {
    let created = (0..<count).map { _ in epochMs - Int64.random(in: 10 * Self.minute...(90 * Self.day), using: &random)
    }
    return created.sorted(by: >).map { scan(createdMs: $0) }
  }

  /// A scan created at `createdMs` that starts running now: what `--drift` inserts.
  mutating func freshScan(at nowMs: Int64) -> SimScan {
    var scan = scan(createdMs: nowMs, status: "running")
    scan.runStartMs = nowMs
    return scan
  }

  mutating func scan(createdMs: Int64, status forced: String? = nil) -> SimScan {
    let status =
      forced
      ?? random.weighted([
        ("finished", 58), ("running", 10), ("waiting", 12), ("aborted", 8), ("invalid", 4), ("disabled", 8),
      ])
    let scanType = random.weighted([("vuln", 80), ("content", 20)])
    let periodic = random.chance(0.35)
    var base = Scan()
    base[.scanId] = .string(scanId(createdMs: createdMs))
    base[.name] = .string(name(createdMs: createdMs, scanType: scanType))
    base[.scanType] = .string(scanType)
    base[.triggerType] = .string(periodic ? "interval" : "date")
    base[.flowName] = .string(
      scanType == "content" ? "content_scan" : random.weighted([("skynet_vul_scan", 5), ("general", 3), ("assets", 2)]))
    base[.targets] = .list(targets())
    if random.chance(0.3) {
      base[.targetsOriginal] = .string(random.pick(["prod-web", "dmz", "testtag", "payment", "官网资产"]))
    }
    base[.refJobId] = .string(random.uuid())
    base[.scanAll] = .number(random.chance(0.4) ? 1 : 0)
    base[.cronActive] = .string(status == "disabled" || status == "invalid" ? "0" : "1")
    if scanType == "content" {
      base[.keyWords] = .string(random.uuid())
      base[.indexIntervalInMinute] = .number(Double(random.pick([5, 10, 30, 60])))
      base[.siteIntervalInDay] = .number(Double(random.pick([1, 3, 7])))
    }
    let duration = Int64.random(in: 12 * Self.minute...(5 * Self.hour), using: &random)
    var scan = SimScan(base: base, status: status, runDurationMs: duration)
    if periodic {
      let (name, length) = random.weighted([
        (("day", Self.day), 6), (("week", 7 * Self.day), 3), (("month", 30 * Self.day), 1),
      ])
      let interval = Int64.random(in: 1...3, using: &random)
      scan.base[.period] = .string(name)
      scan.base[.interval] = .number(Double(interval))
      scan.periodMs = length * interval
    }
    schedule(&scan, createdMs: createdMs)
    scan.base[.reportUrl] = scan.status == "finished" ? .string(reportUrl()) : nil
    return scan
  }

  private mutating func schedule(_ scan: inout SimScan, createdMs: Int64) {
    let duration = scan.runDurationMs
    switch scan.status {
    case "running":
      let elapsed = Int64(Double(duration) * Double.random(in: 0.03...0.9, using: &random))
      scan.runStartMs = max(createdMs, epochMs - elapsed)
      if random.chance(0.15) { scan.abortAtPercent = Double(Int.random(in: 60...98, using: &random)) }
    case "finished", "aborted":
      let latestStart = epochMs - duration - Self.minute
      let start =
        latestStart > createdMs ? Int64.random(in: createdMs...latestStart, using: &random) : createdMs - duration
      scan.runStartMs = start
      let fraction = scan.status == "aborted" ? Double.random(in: 0.05...0.95, using: &random) : 1
      scan.endMs = start + Int64(Double(duration) * fraction)
      if let period = scan.periodMs {
        var next = scan.endMs! + period
        while next <= epochMs { next += period }
        scan.nextRunMs = next
        scan.lastScheduleMs = start
      }
    case "waiting":
      scan.nextRunMs = epochMs + Int64.random(in: 5 * Self.minute...(12 * Self.hour), using: &random)
    default:
      if random.chance(0.5) {
        let start = createdMs + Int64.random(in: 0...Self.hour, using: &random)
        scan.runStartMs = min(start, epochMs - duration)
        scan.endMs = scan.runStartMs! + duration
      }
    }
  }

  private mutating func scanId(createdMs: Int64) -> String {
    // Like the reference's IDs: the creation time in China Standard Time, then five digits.
    var seconds = time_t((createdMs + 8 * Self.hour) / 1000)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func pad(_ value: Int32, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    let stamp =
      pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2) + pad(parts.tm_hour, 2)
      + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2)
    while true {
      let id = stamp + pad(Int32.random(in: 0...99_999, using: &random), 5)
      if usedIds.insert(id).inserted { return id }
    }
  }

  private static let apps = [
    "shop", "api", "portal", "pay", "mail", "cdn", "auth", "news", "crm", "git", "vpn", "admin",
  ]
  private static let domains = ["example.com", "example.cn", "example.net", "example.org"]
  private static let environments = ["prod", "staging", "dev", "uat", "dr"]
  private static let chineseNames = ["官网漏洞扫描", "支付系统周检", "内容安全巡检-新闻站", "双十一前置扫描", "办公网资产探测"]

  private mutating func name(createdMs: Int64, scanType: String) -> String {
    switch random.weighted([("team", 6), ("reference", 2), ("chinese", 1), ("accented", 1)]) {
    case "reference":
      var seconds = time_t(createdMs / 1000)
      var parts = tm()
      gmtime_r(&seconds, &parts)
      let month = parts.tm_mon + 1 < 10 ? "0\(parts.tm_mon + 1)" : "\(parts.tm_mon + 1)"
      let day = parts.tm_mday < 10 ? "0\(parts.tm_mday)" : "\(parts.tm_mday)"
      return "test_\(month)\(day)-\(Int.random(in: 1...9, using: &random))"
    case "chinese":
      return random.pick(Self.chineseNames)
    case "accented":
      return random.pick(["équipe-sécurité-\(random.pick(Self.apps))", "Müller-GmbH-extern", "café-pos-pci"])
    default:
      let kind =
        scanType == "content"
        ? random.pick(["content", "defacement", "keywords"])
        : random.pick(["weekly", "vuln", "pci-dss", "external", "full"])
      return "\(random.pick(Self.environments))-\(random.pick(Self.apps))-\(kind)"
    }
  }

  private mutating func targets() -> [String] {
    var seen = Set<String>()
    return (0..<random.weighted([(1, 6), (2, 3), (3, 1)])).map { _ -> String in
      if random.chance(0.3) {
        return "\(random.pick(["203.0.113", "198.51.100", "192.0.2"])).\(Int.random(in: 1...254, using: &random))"
      }
      return "\(random.pick(Self.apps)).\(random.pick(Self.domains))"
    }.filter { seen.insert($0).inserted }
  }

  private mutating func reportUrl() -> String {
    "https://reports.example.com/VUL_REPORT/\(random.uuid())?Expires=\(epochMs / 1000 + 7 * 86_400)"
  }
}
