import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The simulator's data and its simulated clock: scans newest first, advanced as simulated time
/// passes (running scans progress and finish, waiting ones start), filtered and paged as
/// DescribeScans does.
struct ScanStore: Sendable {
  let configuration: SimulatorConfiguration
  private var clock: SimClock
  private var generator: DatasetGenerator
  /// Newest first, as the API lists them.
  private(set) var scans: [SimScan] = []
  /// The scans time can still change; only these are advanced.
  private var liveIndices: [Int] = []
  /// Bumped whenever a status changes or scans are inserted: what filters depend on.
  private(set) var version = 0
  /// A listing asks for the same filter on every page; it is computed once per version.
  private var lastFilter: (key: Query.Filter, version: Int, indices: [Int])?
  /// A findings listing asks for the same filter on every page: its findings are drawn once per
  /// filter, data version and simulated instant.
  var lastFindings: (key: Query.Filter, version: Int, nowMs: Int64, found: [SimFinding])?
  /// Reports asked for with GenerateVulReport, by TaskId.
  var reportJobs: [Int64: SimReportJob] = [:]

  init(configuration: SimulatorConfiguration, epoch: Date) {
    self.configuration = configuration
    clock = SimClock(epoch: epoch, speed: configuration.clockSpeed, held: configuration.clockHeld)
    generator = DatasetGenerator(seed: configuration.seed, epochMs: clock.epochMs)
    scans = Self.initialScans(configuration, generator: &generator, epochMs: clock.epochMs)
    Self.addHistory(to: &scans, seed: configuration.seed)
    liveIndices = scans.indices.filter { scans[$0].isLive }
  }

  var count: Int { scans.count }

  func nowMs() -> Int64 { clock.nowMs() }

  /// One page of the scans `query` selects, as they are now, and how many it selects in all.
  mutating func page(_ query: Query) -> (totalCount: Int, scans: [Scan]) {
    advanceTime()
    let nowMs = clock.nowMs()
    let matching = matching(query)
    let start = (query.currentPage - 1) * query.pageSize
    guard start < matching.count else { return (matching.count, []) }
    return (
      matching.count,
      matching[start..<min(matching.count, start + query.pageSize)].map { scans[$0].snapshot(at: nowMs) }
    )
  }

  /// Every scan as DescribeScans would list it now, newest first.
  func snapshot() -> [Scan] {
    let nowMs = clock.nowMs()
    return scans.map { $0.snapshot(at: nowMs) }
  }

  /// Inserts `count` new running scans, newest first.
  mutating func insert(count: Int) {
    let nowMs = clock.nowMs()
    let fresh = (0..<count).map { _ in generator.freshScan(at: nowMs) }
    scans.insert(contentsOf: fresh.reversed(), at: 0)
    dataChanged()
  }

  mutating func advance(by milliseconds: Int64) {
    clock.advancedMs += milliseconds
  }

  mutating func startClock(at instant: ContinuousClock.Instant) {
    clock.start(at: instant)
  }

  /// The data regenerated and the clock back at its epoch.
  mutating func reset() {
    self = ScanStore(configuration: configuration, epoch: Date(timeIntervalSince1970: Double(clock.epochMs) / 1000))
  }

  private mutating func dataChanged() {
    version += 1
    liveIndices = scans.indices.filter { scans[$0].isLive }
  }

  mutating func advanceTime() {
    let nowMs = clock.nowMs()
    var changed = false
    for index in liveIndices {
      let before = scans[index].status
      scans[index].advance(to: nowMs)
      if scans[index].status != before { changed = true }
    }
    if changed { dataChanged() }
  }

  private mutating func matching(_ query: Query) -> [Int] {
    if let lastFilter, lastFilter.key == query.filter, lastFilter.version == version { return lastFilter.indices }
    let indices = scans.indices.filter { query.matches(scans[$0]) }
    lastFilter = (query.filter, version, indices)
    return indices
  }

  /// Periodic tasks ran before their last run: up to three earlier runs, a period apart, drawn
  /// from each task's ID so that the scans themselves come out as before.
  private static func addHistory(to scans: inout [SimScan], seed: UInt64) {
    for index in scans.indices {
      guard let period = scans[index].periodMs, let start = scans[index].runStartMs else { continue }
      let count = Int(stableHash(scans[index].id, Int64(bitPattern: seed)) % 4)
      let duration = scans[index].runDurationMs
      for back in (1...max(1, count)).reversed() where count > 0 {
        let earlier = start - Int64(back) * (period + duration)
        scans[index].pastRuns.append((earlier, earlier + duration, false, 100))
      }
    }
  }

  private static func initialScans(
    _ configuration: SimulatorConfiguration, generator: inout DatasetGenerator, epochMs: Int64
  ) -> [SimScan] {
    guard let dataset = configuration.dataset else { return generator.scans(count: configuration.scanCount) }
    return dataset.map { scan in
      let status = scan[.status]?.text ?? "finished"
      var duration = DatasetGenerator.hour
      // A running scan of a dataset keeps its pace: it is RunPercent done after running since StartDate.
      if status == "running", let start = scan[.startDate]?.numberValue, let percent = scan[.runPercent]?.numberValue,
        percent > 0, Double(epochMs) > start
      {
        duration = Int64(min(365 * 86_400_000, (Double(epochMs) - start) * 100 / percent))
      }
      var simScan = SimScan(base: scan, status: status, runDurationMs: duration)
      simScan.runStartMs = scan[.startDate]?.numberValue.map { Int64($0) }
      simScan.endMs = scan[.endDate]?.numberValue.map { Int64($0) }
      simScan.nextRunMs = scan[.nextRunDate]?.numberValue.map { Int64($0) }
      simScan.lastScheduleMs = scan[.lastSheduleDate]?.numberValue.map { Int64($0) }
      return simScan
    }
  }
}
