import QueryLanguage
import ScanAPI
import Vocabulary

/// Decides what the API does and what the client does. Only the top-level conjuncts of the first
/// `where` are pushed, and only where the API filters exactly: `status =`/`in` → `StatusList.N`,
/// `type =` → `ScanType`, `trigger =` → `TriggerType`, `id =` → `ScanId`; `search` → `Search`;
/// the `lang` setting → `Lang`. Pushed conditions are still checked on the client.
public struct Planner: Sendable {
  public var settings: Settings

  public init(settings: Settings) {
    self.settings = settings
  }

  public func plan(_ pipeline: BoundPipeline, source text: SourceText) -> Plan {
    var plan = route(pipeline, source: text)
    plan.utc = settings.timeZone == .utc
    return plan
  }

  /// Where rows come from and what is left for the client.
  private func route(_ pipeline: BoundPipeline, source text: SourceText) -> Plan {
    let stages = pipeline.stages
    let planned = zip(stages, pipeline.schemas).map { PlannedStage(stage: $0, input: $1) }
    var format: OutputFormat?
    for case .format(let name) in stages { format = name }
    let isSilent =
      stages.last.map { if case .expect = $0 { true } else if case .save = $0 { true } else { false } } ?? false
    let clientText = { (stages: ArraySlice<Stage>) in stages.map { text.slice($0.span) } }

    switch pipeline.source {
    case .load(let path):
      return Plan(
        input: .file(path: path, wanted: pipeline.readFields), stages: planned, output: pipeline.output, format: format,
        pushed: [], kept: [], clientStages: clientText(pipeline.syntax.stages[...]), requests: "none (reads \(path))",
        isSilent: isSilent)
    case .scans(let search, let filter):
      var request = DescribeScansRequest(lang: settings.lang, search: search, sourceIp: settings.sourceIp)
      var pushed: [String] = search.map { ["search \($0)"] } ?? []
      // The first `where`: the source's own, or a `where` stage right after the source.
      var firstWhere: Condition?
      var firstWhereIsStage = false
      if case .scans(_, let condition?, _) = pipeline.syntax.source {
        firstWhere = condition
      } else if case .filter(let condition)? = pipeline.syntax.stages.first?.kind {
        firstWhere = condition
        firstWhereIsStage = true
      }
      var fullyPushed = true
      var kept: [String] = []
      if let firstWhere {
        for conjunct in Self.conjuncts(firstWhere) {
          switch Self.push(conjunct, into: &request) {
          case .pushed:
            pushed.append(text.slice(conjunct.span))
          case .notFilteredByTheAPI:
            fullyPushed = false
          case .undocumented(let values, let field):
            fullyPushed = false
            let named = LanguageReference.list(values.map { "'\($0)'" })
            let what =
              values.count == 1 ? "is not a documented \(field.apiName)" : "are not documented \(field.apiName) values"
            kept.append(
              "\(text.slice(conjunct.span)): \(named) \(what), and the API may reject a value it does not know")
          }
        }
      }
      // The stages that do not change which rows reach `first`/`count`: a fully pushed first `where`,
      // and `select` and `format`.
      var leading = 0
      if firstWhereIsStage, fullyPushed { leading = 1 }
      let sourceFilterPushed = filter == nil || fullyPushed
      func onlyPushedBefore(_ index: Int) -> Bool {
        guard sourceFilterPushed else { return false }
        return stages[leading..<index].allSatisfy {
          switch $0 {
          case .select, .format: true
          default: false
          }
        }
      }
      let clientStages = clientText(pipeline.syntax.stages[...])
      var options = ScanListing.Options(
        pageSize: settings.pageSize, concurrency: settings.concurrency, wanted: pipeline.readFields)
      if let countIndex = stages.firstIndex(where: { if case .count = $0 { true } else { false } }),
        onlyPushedBefore(countIndex)
      {
        request.pageSize = 1
        request.currentPage = 1
        options.wanted = FieldSet([.scanId])
        return Plan(
          input: .totalCount(request, fallback: options), stages: Array(planned[(countIndex + 1)...]),
          output: pipeline.output,
          format: format, pushed: pushed, kept: kept, clientStages: Array(clientStages[(countIndex + 1)...]),
          requests: "exactly 1 (PageSize=1; the answer's TotalCount is the count)", isSilent: isSilent)
      }
      var requests =
        "1, then ⌈TotalCount/\(settings.pageSize)⌉ − 1 more, up to \(settings.concurrency) at a time"
      if let firstIndex = stages.firstIndex(where: { if case .first = $0 { true } else { false } }),
        case .first(let limit) = stages[firstIndex], onlyPushedBefore(firstIndex)
      {
        options.limit = limit
        let pages = max(1, (limit + settings.pageSize - 1) / settings.pageSize)
        requests = pages == 1 ? "1 (first \(limit) fits one page)" : "at most \(pages) (first \(limit))"
      }
      // The source's own `where` runs on the client too: pushed conditions are checked again.
      let sourceFilter = filter.map { [PlannedStage(stage: .filter($0), input: pipeline.schemas[0])] } ?? []
      return Plan(
        input: .listing(request, options), stages: sourceFilter + planned, output: pipeline.output, format: format,
        pushed: pushed, kept: kept,
        clientStages: clientStages, requests: requests, isSilent: isSilent)
    }
  }

  static func conjuncts(_ condition: Condition) -> [Condition] {
    if case .and(let terms, _) = condition { return terms }
    return [condition]
  }

  enum Pushdown: Equatable {
    case pushed
    case notFilteredByTheAPI
    /// Values the reference does not list: the whole condition stays on the client.
    case undocumented([String], ScanField)
  }

  /// Moves one conjunct into the request when the API filters it exactly.
  static func push(_ condition: Condition, into request: inout DescribeScansRequest) -> Pushdown {
    switch condition {
    case .comparison(let field, let op, let value) where op.value == .equal:
      let catalogField = FieldCatalog.field(named: field.name)
      if let catalogField, let undocumented = undocumented([value], of: catalogField) {
        return .undocumented(undocumented, catalogField)
      }
      switch catalogField {
      case .status where request.statusList.isEmpty:
        request.statusList = [value.string.lowercased()]
      case .scanType where request.scanType == nil:
        request.scanType = value.string.lowercased()
      case .triggerType where request.triggerType == nil:
        request.triggerType = value.string.lowercased()
      case .scanId where request.scanId == nil:
        request.scanId = value.string
      default:
        return .notFilteredByTheAPI
      }
      return .pushed
    case .membership(let field, false, let values, _):
      guard FieldCatalog.field(named: field.name) == .status, request.statusList.isEmpty else {
        return .notFilteredByTheAPI
      }
      if let undocumented = undocumented(values, of: .status) { return .undocumented(undocumented, .status) }
      request.statusList = values.map { $0.string.lowercased() }
      return .pushed
    default:
      return .notFilteredByTheAPI
    }
  }

  /// The values of an enum field the reference does not list, or nil when it lists them all.
  static func undocumented(_ values: [Value], of field: ScanField) -> [String]? {
    let known = field.kind.knownValues
    guard !known.isEmpty else { return nil }
    let outside = values.map(\.string).filter { !known.contains($0.lowercased()) }
    return outside.isEmpty ? nil : outside
  }
}
