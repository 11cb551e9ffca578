import Formatters
import QueryEngine
import QueryLanguage
import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Session {
  /// Rows a watch holds per tick.
  static let maxWatchedRows = 50_000
  /// Failed ticks in a row that end a watch in a script (the REPL keeps trying until Ctrl-C).
  static let maxFailedTicks = 3

  func runWatch(_ bound: BoundPipeline, watch: BoundWatch, source: SourceText) async throws {
    progress?.end()
    var stageFormat: OutputFormat?
    for case .format(let format) in bound.stages[watch.stageIndex...] { stageFormat = format }
    let format = stageFormat ?? settings.format ?? options.format ?? .table
    let columns = bound.schemas[watch.stageIndex].columns
    let utc = settings.timeZone == .utc
    let query = SecretText.maskURLs(in: source.slice(bound.span))
    // What actions print (an exec's output) goes where the watch's own lines go: under the screen's
    // header on a terminal, else to stderr.
    let actionOutput = ActionOutput(errors)
    let actions = try watchActions(bound, watch: watch, output: actionOutput)
    let writer = actions.map { EventWriter(format: format, columns: $0.outputColumns, utc: utc, output: output) }
    let act = { (events: [WatchEvent], date: Date) async throws in
      guard let actions else { return }
      let rows = try await actions.handle(events, at: date)
      if !actions.hasActions { writer?.write(rows, at: date) }
    }

    let loop = WatchLoop(
      interval: watch.interval, columns: columns, until: watch.until, limit: watch.limit,
      maxFailuresInARow: options.interactive ? nil : Self.maxFailedTicks, clock: watchClock)
    // The stages before the watch, as bound with the statement; a tick binds them again only for
    // what moves under it (a time relative to now: `where start > 1h` means the hour before each
    // tick). Binding is where a relative time gets its value, so that is what a tick redoes.
    let watched = bound.prefix(watch.stageIndex)
    let fetch = { [self] () async throws -> WatchLoop.TickResult in
      let throttledBefore = requestStats.throttled
      let plan = Planner(settings: settings.plan).plan(
        try binding(watched.syntax, source: source, checked: watched), source: source)
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
      await whereTheyWent(events, source: bound.source, columns: columns)
    }

    let outcome: WatchLoop.Outcome
    if let actions, !actions.hasActions {
      // Stages after the watch that only filter and shape: its events are the output.
      let quiet = EventStreamDisplay(errors: errors, utc: utc)
      outcome = try await loop.run(display: quiet, fetch: fetch, enrich: enrich, act: act)
    } else if options.outputIsTerminal, format == .table {
      let screen = ScreenDisplay(
        query: query, columns: columns, output: output,
        size: { [options] in (options.terminalHeight() ?? 24, options.terminalWidth() ?? 80) }, utc: utc,
        requests: { [requestStats] in requestStats.requests },
        actionFailures: { actions?.failureCount ?? 0 })
      let notes = screen.notes
      actions?.note = { notes.add($0) }
      actionOutput.forward { text in
        for line in text.split(separator: "\n") { notes.add(String(line)) }
      }
      screen.enter()
      do {
        outcome = try await loop.run(display: screen, fetch: fetch, enrich: enrich, act: act)
        screen.leave()
      } catch {
        screen.leave()
        throw error
      }
    } else {
      let log = LogDisplay(
        columns: columns, output: output, errors: errors, json: format == .ndjson || format == .json, utc: utc)
      actions?.note = { [errors] in errors.write($0 + "\n") }
      outcome = try await loop.run(display: log, fetch: fetch, enrich: enrich, act: act)
    }
    if let summary = actions?.summary { errors.write(summary + "\n") }
    try await finish(outcome, watch: watch, query: query, watched: watched, source: source)
    if let actions, actions.failureCount > 0 {
      throw ShellError.watchActionsFailed(actions.failureCount, of: actions.runs.values.reduce(0, +))
    }
  }

  /// The stages after the watch, ready to take its events; nil when only `format` follows it.
  private func watchActions(_ bound: BoundPipeline, watch: BoundWatch, output actionOutput: any TextSink) throws
    -> WatchActions?
  {
    let first = watch.stageIndex + 1
    guard bound.stages[first...].contains(where: { if case .format = $0 { false } else { true } }) else { return nil }
    let environment = ProcessInfo.processInfo.environment
    var steps: [(step: WatchActions.Step, columns: [Column])] = []
    for index in first..<bound.stages.count {
      let columns = bound.schemas[index].columns
      switch bound.stages[index] {
      case .filter(let predicate): steps.append((.filter(predicate), columns))
      case .select(let indices): steps.append((.select(indices), columns))
      case .save(let path):
        let file = EventFile(path: evaluator.resolve(path))
        if let reason = file.openError { throw EvaluationError.save(path: path, reason: reason) }
        steps.append((.save(file), columns))
      case .exec(let words):
        let action = ExecAction(
          program: words[0], arguments: Array(words.dropFirst()), directory: options.directory,
          timeout: .seconds(settings.execTimeout), errors: actionOutput, environment: environment)
        steps.append((.exec(action), columns))
      case .post(let service, let url):
        let action = PostAction(
          url: URL(string: url)!, service: service,
          transport: NIOTransport(timeout: .seconds(10), settings: options.network),
          clock: watchClock)
        steps.append((.post(action), columns))
      case .notify:
        guard settings.notify else { continue }
        let notifier = Notifier(output: output, isTerminal: options.outputIsTerminal, environment: environment)
        steps.append((.notify(notifier), columns))
      default:
        continue
      }
    }
    return WatchActions(
      steps: steps, eventColumns: bound.schemas[first].columns, outputColumns: bound.output.columns)
  }
}

extension Session {

  private func finish(
    _ outcome: WatchLoop.Outcome, watch: BoundWatch, query: String, watched: BoundPipeline, source: SourceText
  ) async throws {
    switch outcome {
    case .satisfied(let ticks):
      if options.outputIsTerminal {
        // The final state, printed where it stays once the watch screen is gone.
        try await print(
          Planner(settings: settings.plan).plan(
            try binding(watched.syntax, source: source, checked: watched), source: source))
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
      throw ShellError.watchFailedTicks(ticks, error.trimmed(), code)
    }
  }

  /// For rows that left the result, asks the API what became of them: a scan's or a run's status,
  /// a finding's (DescribeVulnerability), `gone` when it is no longer listed, or `lookup failed`
  /// (not `gone`: it may still be listed). A few lookups per tick at most.
  private func whereTheyWent(_ events: [WatchEvent], source: BoundPipeline.Source, columns: [Column]) async
    -> [WatchEvent]
  {
    guard case .listing(let resource, _, _) = source, events.contains(where: { $0.kind == .removed }) else {
      return events
    }
    var lookups = 0
    var result: [WatchEvent] = []
    for var event in events {
      if event.kind == .removed, lookups < 20, !event.key.isEmpty {
        lookups += 1
        do {
          let accounts = try await evaluator.accounts()
          if let client = (accounts.first { $0.name == event.account } ?? accounts.first)?.client {
            event.status = try await status(of: event, resource: resource, columns: columns, client: client)
            event.reason =
              event.status.map { value in
                if let status = resource.columns.firstIndex(role: .status),
                  case .coded(let codes) = resource.columns[status].kind,
                  let number = value.numberValue, let name = codes.name(of: number)
                {
                  return name
                }
                return value.text
              } ?? "gone"
          }
        } catch {
          event.reason = "lookup failed"
        }
      }
      result.append(event)
    }
    return result
  }

  /// The status a removed row has now, as its listing would show it; nil when it is gone.
  private func status(of event: WatchEvent, resource: Resource, columns: [Column], client: ScanClient) async throws
    -> FieldValue?
  {
    switch resource.id {
    case .scans:
      let page = try await client.describeScans(
        DescribeScansRequest(scanId: event.key), wanted: FieldSet([.scanId, .status])
      ).page
      return page.scans.first { $0.scanId == event.key }?[.status]
    case .sessions:
      // The task's runs, by the row's ScanId.
      guard let scanColumn = columns.firstIndex(where: { $0.name == Resource.scans.columns[Resource.scans.key].name }),
        let scanId = event.row.values[scanColumn]?.text
      else { return nil }
      let runs = try await client.runs(ofScan: scanId, taskIds: [event.key], maxPages: 10)
      return resource.columns.firstIndex(role: .status).flatMap { runs[event.key]?.values[$0] }
    case .findings:
      do {
        let finding = try await client.describeVulnerability(
          id: event.key, lang: settings.lang, sourceIp: settings.sourceIp)
        return resource.columns.firstIndex(role: .status).flatMap { finding.values[$0] }
      } catch let error as ScanAPIError {
        if case .api(let api, _) = error, api.httpStatus == 404 { return nil }
        throw error
      }
    }
  }
}
