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
  func runPipeline(_ pipeline: Pipeline, source: SourceText, checked: BoundPipeline? = nil) async throws {
    let bound = try binding(pipeline, source: source, checked: checked)
    for warning in bound.warnings { errors.write("warning: \(warning)\n") }
    if let watch = bound.stages.lazy.compactMap({ if case .watch(let spec) = $0 { spec } else { nil } }).first {
      try await runWatch(bound, watch: watch, source: source)
      return
    }
    if let report = bound.stages.lazy.compactMap({ if case .report(let spec) = $0 { spec } else { nil } }).first {
      try await runReportStage(bound, report: report, source: source)
      return
    }
    let plan = Planner(settings: settings.plan).plan(bound, source: source)
    do {
      try await print(plan)
    } catch {
      await options.rowsRead?()
      throw error
    }
    await options.rowsRead?()
  }

  func bindOrThrow(_ pipeline: Pipeline, source: SourceText) throws(Diagnostics) -> BoundPipeline {
    try binder(for: source).bind(pipeline)
  }

  /// The pipeline as the check before running bound it. It is bound again only when something
  /// that binding read besides the statement may have moved since, as the binder records: a time
  /// relative to now (a script's later statements run later), a warning about an undocumented
  /// value (rows an earlier statement printed may have shown it), or a `load`ed file now holding
  /// another resource's rows (an earlier statement may have saved them).
  func binding(_ pipeline: Pipeline, source: SourceText, checked: BoundPipeline?) throws(Diagnostics)
    -> BoundPipeline
  {
    guard let checked else { return try bindOrThrow(pipeline, source: source) }
    let facts = checked.dependsOn
    var moved = facts.now || (facts.seenValues && !checked.warnings.isEmpty)
    if let file = facts.file, !moved {
      moved = ScanFileReader.resource(ofFileAt: evaluator.resolve(file.path)) != file.resource
    }
    return moved ? try bindOrThrow(pipeline, source: source) : checked
  }

  /// A binder that knows the values seen in this session's results.
  func binder(for source: SourceText) -> Binder {
    let known = known
    let evaluator = evaluator
    return Binder(
      now: now(), source: source, seen: { known.set(for: $0) },
      fileResource: { ScanFileReader.resource(ofFileAt: evaluator.resolve($0)) })
  }

  /// The format in force: the `format` stage, else `set format`, else `--format`, else table.
  func outputFormat(for plan: Plan) -> OutputFormat {
    plan.format ?? settings.format ?? options.format ?? .table
  }

  func outputContext(for plan: Plan) -> OutputContext {
    let color: Bool
    switch settings.color {
    case .on: color = options.colorAllowed
    case .off: color = false
    case .auto: color = options.colorAllowed && options.outputIsTerminal
    }
    let isCount = plan.output.columns.count == 1 && plan.output.shape == .count
    var context = OutputContext(
      columns: plan.output.columns, isScans: plan.output.isScans, isCount: isCount,
      width: options.outputIsTerminal ? options.terminalWidth() : nil, color: color, utc: settings.timeZone == .utc)
    context.showAccount = accounts.count > 1
    if options.outputIsTerminal, plan.output.shape == .group {
      context.barColumn = plan.output.columns.firstIndex { $0.name == "count" }
    }
    return context
  }

  /// A pager for a result on a terminal, unless `set pager off`, `--no-pager` or no pager command.
  func pager() -> Pager? {
    guard settings.pager, options.outputIsTerminal, let command = options.pagerCommand,
      let rows = options.terminalHeight()
    else { return nil }
    return Pager(output: output, command: command, rows: rows)
  }

  /// Evaluates a plan and prints its rows as they come.
  func print(_ plan: Plan) async throws {
    let stream = try await evaluator.open(plan)
    var formatter = Formatting.make(outputFormat(for: plan), outputContext(for: plan))
    let pager = plan.isSilent ? nil : pager()
    let writer = BatchedWriter(pager ?? output, beforeWrite: progress.map { progress in { progress.clear() } })
    var recorder = known.recorder(columns: plan.output.columns, everything: options.interactive)
    // Where the stream can, rows' text is made where the rows are, ahead of their turn.
    let ahead = plan.isSilent ? nil : stream as? any RendersAhead
    if let ahead, let rowText = formatter.rowText { ahead.renderAhead(rowText) }
    func nextRow() async throws -> (row: Row, text: String?)? {
      if let ahead { return try await ahead.nextRendered() }
      return try await stream.next().map { ($0, nil) }
    }
    var rows = 0
    do {
      while let (row, made) = try await nextRow() {
        rows += 1
        recorder.record(row)
        guard !plan.isSilent else { continue }
        if let text = made.map({ formatter.format(row, text: $0) }) ?? formatter.format(row) { writer.write(text) }
      }
      try await stream.finish()
    } catch {
      if !plan.isSilent { writer.write(formatter.abort()) }
      writer.flush()
      // Interrupted: the pager goes too. Failed: what came is shown first.
      if error is CancellationError { pager?.abandon() } else { await pager?.finish() }
      throw error
    }
    if !plan.isSilent { writer.write(formatter.finish()) }
    writer.flush()
    await pager?.finish()
    if let last = plan.stages.last, case .save(let path) = last.stage {
      errors.write("saved \(rows) \(rows == 1 ? "row" : "rows") to \(path)\n")
    }
  }
}
