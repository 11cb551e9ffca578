import Foundation
import QueryLanguage
import ScanAPI
import Vocabulary

@testable import QueryEngine

/// 2026-11-02T09:00:00Z, the clock these tests run at.
let testNow = Date(timeIntervalSince1970: 1_793_610_000)

func bind(_ text: String) throws -> BoundPipeline {
  let source = SourceText(text)
  let (script, diagnostics) = Parser.parse(source)
  if let diagnostics { throw diagnostics }
  guard case .pipeline(let pipeline) = script.statements[0].kind else { fatalError("not a pipeline: \(text)") }
  return try Binder(now: testNow, source: source).bind(pipeline)
}

/// The rendered binding errors of a statement, or "ok".
func bindingErrors(_ text: String) -> String {
  do {
    _ = try bind(text)
    return "ok"
  } catch let diagnostics as Diagnostics {
    return DiagnosticRenderer.render(diagnostics)
  } catch {
    return "\(error)"
  }
}

func plan(_ text: String, settings: PlanSettings = PlanSettings()) throws -> Plan {
  try Planner(settings: settings).plan(bind(text), source: SourceText(text))
}

func scan(
  _ id: String, _ name: String? = nil, status: String? = nil, percent: Double? = nil, start: Double? = nil,
  targets: [String]? = nil, type: String? = nil
) -> Scan {
  var scan = Scan()
  scan[.scanId] = .string(id)
  if let name { scan[.name] = .string(name) }
  if let status { scan[.status] = .string(status) }
  if let percent { scan[.runPercent] = .number(percent) }
  if let start { scan[.startDate] = .number(start) }
  if let targets { scan[.targets] = .list(targets) }
  if let type { scan[.scanType] = .string(type) }
  return scan
}

/// Runs the client-side stages of `text` over `scans` (its source is ignored) and returns the rows.
func evaluate(_ text: String, over scans: [Scan], utc: Bool = true) async throws -> (columns: [Column], rows: [Row]) {
  let bound = try bind(text)
  var stream: any RowStream = ArrayStream(scans.map(\.row))
  if case .listing(_, _, let filter?) = bound.source { stream = FilterStream(stream, filter) }
  let planned = Plan(
    input: .file(path: "-", wanted: .all),
    stages: zip(bound.stages, bound.schemas).map { PlannedStage(stage: $0, input: $1) }, output: bound.output,
    format: nil, pushed: [], kept: [], clientStages: [], requests: "", isSilent: false)
  stream = try Evaluator(client: { fatalError("no API in these tests") }).chain(stream, planned.stages, utc: utc)
  var rows: [Row] = []
  while let row = try await stream.next() { rows.append(row) }
  try await stream.finish()
  return (bound.output.columns, rows)
}

func ids(_ rows: [Row]) -> [String] { rows.map { $0.values[ScanField.scanId.rawValue]?.text ?? "-" } }
