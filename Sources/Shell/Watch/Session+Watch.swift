import Formatters
import Foundation
import QueryEngine
import QueryLanguage
import ScanAPI
import Vocabulary

extension Session {
  /// Rows a watch holds per tick.
  static let maxWatchedRows = 50_000
  /// Failed ticks in a row that end a watch in a script (the REPL keeps trying until Ctrl-C).
  static let maxFailedTicks = 3

  func runWatch(_ bound: BoundPipeline, watch: BoundWatch, source: SourceText) async throws {
    progress?.end()
    var upstream = bound.syntax
    upstream.stages = Array(upstream.stages[..<watch.stageIndex])
    var stageFormat: OutputFormat?
    for case .format(let format) in bound.stages[watch.stageIndex...] { stageFormat = format }
    let format = stageFormat ?? settings.format ?? options.format ?? .table
    let columns = bound.schemas[watch.stageIndex].columns
    let utc = settings.timeZone == .utc
    let query = source.slice(bound.syntax.span)

    let loop = WatchLoop(
      interval: watch.interval, columns: columns, until: watch.until, limit: watch.limit,
      maxFailuresInARow: options.interactive ? nil : Self.maxFailedTicks, clock: watchClock)
    let fetch = { [self] () async throws -> WatchLoop.TickResult in
      let throttledBefore = requestStats.throttled
      let plan = Planner(settings: settings).plan(try bindOrThrow(upstream, source: source), source: source)
      let stream = try await evaluator.open(plan)
      var rows: [Row] = []
      var recorder = known.recorder(columns: columns, everything: options.interactive)
      while let row = try await stream.next() {
        guard rows.count < Self.maxWatchedRows else {
          throw ShellError.notAvailable("watch follows at most \(Self.maxWatchedRows) rows; narrow the query")
        }
        rows.append(row)
        recorder.record(row)
      }
      try await stream.finish()
      await options.rowsRead?()
      return WatchLoop.TickResult(rows: rows, throttled: requestStats.throttled > throttledBefore)
    }
    let enrich = { [self] (events: [WatchEvent]) async -> [WatchEvent] in
      await whereTheyWent(events, source: bound.source)
    }

    let outcome: WatchLoop.Outcome
    if options.outputIsTerminal, format == .table {
      let screen = ScreenDisplay(
        query: query, columns: columns, output: output,
        size: { [options] in (options.terminalHeight() ?? 24, options.terminalWidth() ?? 80) }, utc: utc,
        requests: { [requestStats] in requestStats.requests })
      screen.enter()
      do {
        outcome = try await loop.run(display: screen, fetch: fetch, enrich: enrich)
        screen.leave()
      } catch {
        screen.leave()
        throw error
      }
    } else {
      let log = LogDisplay(
        columns: columns, output: output, errors: errors, json: format == .ndjson || format == .json, utc: utc)
      outcome = try await loop.run(display: log, fetch: fetch, enrich: enrich)
    }
    try await finish(outcome, watch: watch, query: query, upstream: upstream, source: source)
  }

  private func finish(
    _ outcome: WatchLoop.Outcome, watch: BoundWatch, query: String, upstream: Pipeline, source: SourceText
  ) async throws {
    switch outcome {
    case .satisfied(let ticks):
      if options.outputIsTerminal {
        // The final state, printed where it stays once the watch screen is gone.
        try await print(Planner(settings: settings).plan(try bindOrThrow(upstream, source: source), source: source))
      }
      errors.write("watch: until \(watch.until?.text ?? "") held after \(ticks) \(ticks == 1 ? "tick" : "ticks")\n")
    case .gaveUp(let ticks) where watch.until == nil:
      // Without `until`, `for` is only how long to watch: the watch ends as asked.
      let limit = watch.limit.map(DurationText.format) ?? "?"
      errors.write("watch: stopped after \(limit) (\(ticks) \(ticks == 1 ? "tick" : "ticks"))\n")
    case .gaveUp(let ticks):
      let limit = watch.limit.map(DurationText.format) ?? "?"
      throw ShellError.watchGaveUp(
        "watch gave up after \(limit) (\(ticks) \(ticks == 1 ? "tick" : "ticks")): until \(watch.until?.text ?? "") did not hold"
      )
    case .failed(let ticks, let error, let code):
      throw ShellError.watchFailedTicks(ticks, error.trimmingCharacters(in: .whitespacesAndNewlines), code)
    }
  }

  /// For rows that left the result, asks the API what became of them: `finished`, `aborted`,
  /// `gone` when it no longer lists them, or `lookup failed` (not `gone`: it may still be listed).
  /// A few lookups per tick at most.
  private func whereTheyWent(_ events: [WatchEvent], source: BoundPipeline.Source) async -> [WatchEvent] {
    guard case .listing(.scans, _, _) = source, events.contains(where: { $0.kind == .removed }) else { return events }
    var lookups = 0
    var result: [WatchEvent] = []
    for var event in events {
      if event.kind == .removed, lookups < 20, !event.key.isEmpty {
        lookups += 1
        do {
          let accounts = try await evaluator.accounts()
          if let client = (accounts.first { $0.name == event.account } ?? accounts.first)?.client {
            let page = try await client.describeScans(
              DescribeScansRequest(scanId: event.key), wanted: FieldSet([.scanId, .status])
            ).page
            event.reason = page.scans.first { $0.scanId == event.key }?[.status]?.text ?? "gone"
          }
        } catch {
          event.reason = "lookup failed"
        }
      }
      result.append(event)
    }
    return result
  }
}
