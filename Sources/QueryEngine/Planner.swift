import QueryLanguage
import ScanAPI
import Vocabulary

/// Decides what the API does and what the client does. Only the top-level conjuncts of the first
/// `where` are pushed, and only where the API filters exactly (docs/design.md §3): for scans,
/// `status =`/`in` → `StatusList.N`, `type =` → `ScanType`, `trigger =` → `TriggerType`, `id =` →
/// `ScanId`; for runs, `status =`/`in` → `StatusList.N`, `ScanId =`; for findings, `ScanId`,
/// `TaskId`, `Status`, `VulType`, `Name =` and `Severity` (one value per request: a range of
/// severities is one listing per value, merged); `search` → `Search`; the `lang` setting → `Lang`.
/// Pushed conditions are still checked on the client.
public struct Planner: Sendable {
  public var settings: PlanSettings

  public init(settings: PlanSettings) {
    self.settings = settings
  }

  public func plan(_ pipeline: BoundPipeline, source text: SourceText) -> Plan {
    var plan = route(pipeline, source: text)
    plan.utc = settings.utc
    return plan
  }

  /// Where rows come from and what is left for the client.
  private func route(_ pipeline: BoundPipeline, source text: SourceText) -> Plan {
    let stages = pipeline.stages
    var planned = zip(stages, pipeline.schemas).map { PlannedStage(stage: $0, input: $1) }
    for index in pipeline.implicitDetails where index >= 0 { planned[index].detailsFirst = true }
    var format: OutputFormat?
    for case .format(let name) in stages { format = name }
    let isSilent =
      stages.last.map { if case .expect = $0 { true } else if case .save = $0 { true } else { false } } ?? false
    let clientStages = pipeline.stageSpans.map { text.slice($0) }

    switch pipeline.source {
    case .load(let path):
      return Plan(
        input: .file(path: path, wanted: pipeline.readFields), stages: planned, output: pipeline.output, format: format,
        pushed: [], kept: [], clientStages: clientStages, requests: "none (reads \(path))",
        isSilent: isSilent)
    case .listing(let resource, let search, let filter):
      var request = ListRequest(resource: resource)
      if let lang = settings.lang { request["Lang"] = lang }
      if let search { request["Search"] = search }
      if let sourceIp = settings.sourceIp { request["SourceIp"] = sourceIp }
      var pushed: [String] = search.map { ["search \($0)"] } ?? []
      let firstWhereIsStage = pipeline.pushable?.isStage == true
      var fullyPushed = true
      var kept: [String] = []
      var severities: [Int]?
      if let conjuncts = pipeline.pushable?.conjuncts {
        for conjunct in conjuncts {
          switch Self.push(conjunct, into: &request) {
          case .pushed:
            pushed.append(text.slice(conjunct.span))
          case .severities(let values) where severities == nil:
            if values.count <= 2 {
              severities = values
              pushed.append(text.slice(conjunct.span))
            } else {
              fullyPushed = false
              kept.append(
                "\(text.slice(conjunct.span)): the API takes one Severity per request, and \(values.count) of 4 "
                  + "listings read almost every finding anyway: one listing, filtered here, costs fewer requests")
            }
          case .severities, .notFilteredByTheAPI:
            fullyPushed = false
          case .undocumented(let values, let field):
            fullyPushed = false
            let named = LanguageReference.list(values.map { "'\($0)'" })
            let what = values.count == 1 ? "is not a documented \(field)" : "are not documented \(field) values"
            kept.append(
              "\(text.slice(conjunct.span)): \(named) \(what), and the API may reject a value it does not know")
          }
        }
      }
      if resource == .findings, request["BeginTime"] == nil,
        let conjuncts = pipeline.pushable?.conjuncts,
        conjuncts.contains(where: { Self.names($0, "LastDiscoveredAt", in: resource) })
      {
        kept.append(
          "conditions on LastDiscoveredAt: the reference does not say which time BeginTime/EndTime filter, so a "
            + "time range is checked here")
      }
      let listings = Self.listings(request, severities: severities)
      // The stages that do not change which rows reach `first`/`count`: a fully pushed first `where`,
      // and `select` and `format`.
      var leading = 0
      if firstWhereIsStage, fullyPushed { leading = 1 }
      let sourceFilterPushed = (filter == nil || fullyPushed) && !pipeline.implicitDetails.contains(-1)
      func onlyPushedBefore(_ index: Int) -> Bool {
        guard sourceFilterPushed, leading <= index else { return false }
        return stages[leading..<index].allSatisfy {
          switch $0 {
          case .select, .format: true
          default: false
          }
        }
      }
      var options = ScanListing.Options(
        pageSize: settings.pageSize, concurrency: settings.concurrency, wanted: pipeline.readFields)
      if let countIndex = stages.firstIndex(where: { if case .count = $0 { true } else { false } }),
        onlyPushedBefore(countIndex)
      {
        options.wanted = FieldSet(indices: [resource.key])
        let counted = listings.map { listing in
          var listing = listing
          listing.request.pageSize = 1
          listing.request.currentPage = 1
          return listing
        }
        let requests =
          counted.count == 1
          ? "exactly 1 (PageSize=1; the answer's TotalCount is the count)"
          : "exactly \(counted.count), at once (PageSize=1 each; their TotalCounts add up to the count)"
        return Plan(
          input: .totalCount(counted, fallback: options), stages: Array(planned[(countIndex + 1)...]),
          output: pipeline.output,
          format: format, pushed: pushed, kept: kept, clientStages: Array(clientStages[(countIndex + 1)...]),
          requests: requests, isSilent: isSilent)
      }
      var requests = "1, then ⌈TotalCount/\(settings.pageSize)⌉ − 1 more, up to \(settings.concurrency) at a time"
      if listings.count > 1 {
        requests =
          "\(listings.count) listings at once (one per Severity), each 1, then ⌈TotalCount/\(settings.pageSize)⌉ − 1 more"
      }
      if let firstIndex = stages.firstIndex(where: { if case .first = $0 { true } else { false } }),
        case .first(let limit) = stages[firstIndex], onlyPushedBefore(firstIndex)
      {
        options.limit = limit
        // The limit's pages at the page size asked for, as the paging reads them at most.
        let pages = max(1, options.paging.pages(total: limit, pageSize: settings.pageSize)) * listings.count
        requests = pages == 1 ? "1 (first \(limit) fits one page)" : "at most \(pages) (first \(limit))"
      }
      // The source's own `where` runs on the client too: pushed conditions are checked again.
      let sourceFilter =
        filter.map {
          [
            PlannedStage(
              stage: .filter($0), input: pipeline.schemas[0], detailsFirst: pipeline.implicitDetails.contains(-1))
          ]
        } ?? []
      requests += Self.costs(of: sourceFilter + planned)
      return Plan(
        input: .listing(listings, options), stages: sourceFilter + planned, output: pipeline.output, format: format,
        pushed: pushed, kept: kept,
        clientStages: clientStages, requests: requests, isSilent: isSilent)
    }
  }

  /// The request as one listing, or one per pushed severity; a listing filtered by a column its
  /// rows lack (findings by VulType or ScanId) stamps the value asked for on them.
  static func listings(_ request: ListRequest, severities: [Int]?) -> [PlannedListing] {
    let resource = request.resource
    var stamps: [(column: Int, value: FieldValue)] = []
    for (column, filter) in resource.filters.sorted(by: { $0.key < $1.key }) where filter.stamped {
      guard let asked = request[filter.parameter] else { continue }
      if case .coded = resource.columns[column].kind {
        guard let number = Double(asked) else { continue }
        stamps.append((column, .number(number)))
      } else {
        stamps.append((column, .string(asked)))
      }
    }
    guard let severities, let perRequest = resource.filters.values.first(where: { $0.form == .onePerRequest }) else {
      return [PlannedListing(request, stamps: stamps)]
    }
    return severities.sorted(by: >).map { severity in
      var one = request
      one[perRequest.parameter] = String(severity)
      return PlannedListing(one, stamps: stamps)
    }
  }

  /// What relations and details add to the request count.
  static func costs(of stages: [PlannedStage]) -> String {
    var text = ""
    for planned in stages {
      if planned.detailsFirst || { if case .details = planned.stage { true } else { false } }() {
        text += "; then 1 DescribeVulnerability per row reaching here (once per Id)"
      }
      if case .related(let child) = planned.stage {
        text += "; then 1 \(child.action) listing per \(planned.input.resource.noun) reaching '\(child)'"
      }
    }
    return text
  }

  /// The condition compares this column of the resource.
  static func names(_ condition: Condition, _ column: String, in resource: Resource) -> Bool {
    switch condition {
    case .comparison(let field, _, _), .membership(let field, _, _, _):
      FieldCatalog.field(named: field.name, in: resource).map { resource.columns[$0].name == column } ?? false
    default: false
    }
  }

  enum Pushdown: Equatable {
    case pushed
    case notFilteredByTheAPI
    /// Values the reference does not list: the whole condition stays on the client.
    case undocumented([String], String)
    /// The finding severities a condition selects: the API takes one per request.
    case severities([Int])
  }

  /// Moves one conjunct into the request when the API filters it exactly.
  static func push(_ condition: Condition, into request: inout ListRequest) -> Pushdown {
    let resource = request.resource
    func column(_ field: FieldName) -> (column: Column, filter: Resource.Filter?)? {
      FieldCatalog.field(named: field.name, in: resource).map { (resource.columns[$0], resource.filters[$0]) }
    }
    switch condition {
    case .comparison(let field, let op, let value):
      guard let (column, filter) = column(field) else { return .notFilteredByTheAPI }
      if case .coded(let codes) = column.kind, let code = code(value, codes) {
        if filter?.form == .onePerRequest {
          let selected = codes.codes.filter { candidate in
            switch op.value {
            case .equal: candidate == code
            case .notEqual: candidate != code
            case .less: candidate < code
            case .lessOrEqual: candidate <= code
            case .greater: candidate > code
            case .greaterOrEqual: candidate >= code
            case .contains, .notContains: false
            }
          }
          return selected.isEmpty ? .notFilteredByTheAPI : .severities(selected)
        }
        guard op.value == .equal, let name = filter?.parameter, request[name] == nil else {
          return .notFilteredByTheAPI
        }
        request[name] = String(code)
        return .pushed
      }
      guard op.value == .equal else { return .notFilteredByTheAPI }
      if let undocumented = undocumented([value], of: column) { return .undocumented(undocumented, column.name) }
      guard let filter else { return .notFilteredByTheAPI }
      if filter.form == .list {
        guard request.list(filter.parameter).isEmpty else { return .notFilteredByTheAPI }
        request.setList(filter.parameter, [value.string.lowercased()])
        return .pushed
      }
      guard request[filter.parameter] == nil else { return .notFilteredByTheAPI }
      let isEnumeration = !column.kind.knownValues.isEmpty
      request[filter.parameter] = isEnumeration ? value.string.lowercased() : value.string
      return .pushed
    case .membership(let field, false, let values, _):
      guard let (column, filter) = column(field), let filter else { return .notFilteredByTheAPI }
      if filter.form == .onePerRequest, case .coded(let codes) = column.kind {
        let selected = values.compactMap { code($0, codes) }
        return selected.count == values.count ? .severities(Array(Set(selected)).sorted()) : .notFilteredByTheAPI
      }
      guard filter.form == .list, request.list(filter.parameter).isEmpty else {
        return .notFilteredByTheAPI
      }
      if let undocumented = undocumented(values, of: column) { return .undocumented(undocumented, column.name) }
      request.setList(filter.parameter, values.map { $0.string.lowercased() })
      return .pushed
    default:
      return .notFilteredByTheAPI
    }
  }

  private static func code(_ value: Value, _ codes: CodeNames) -> Int? {
    if case .number(let number) = value.kind { return codes.name(of: number) != nil ? Int(number) : nil }
    return codes.code(written: value.string)
  }

  /// The values of an enum field the reference does not list, or nil when it lists them all.
  static func undocumented(_ values: [Value], of column: Column) -> [String]? {
    let outside = values.map(\.string).filter(column.kind.isUndocumented)
    return outside.isEmpty ? nil : outside
  }
}
