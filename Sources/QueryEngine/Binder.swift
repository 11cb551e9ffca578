import QueryLanguage
import ScanAPI
import Synchronization
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Resolves fields against the schema at each point of a pipeline, types literals, and checks the
/// shape of the pipeline, reporting every problem with its span before anything is sent.
public struct Binder: Sendable {
  /// Values of a field seen in results this session: an enum value outside the documented set
  /// that was seen is taken without a warning.
  public typealias SeenValues = @Sendable (ScanField) -> Set<String>

  /// Whose rows the file a `load` names holds (what `save` wrote).
  public typealias FileResource = @Sendable (String) -> Resource

  public let now: Date
  public let source: SourceText
  public let seen: SeenValues
  public let fileResource: FileResource
  private let notes = Notes()
  private let reads = Reads()

  /// What binding read besides the statement (see `BoundPipeline.RunTimeFacts`).
  final class Reads: Sendable {
    private let facts = Mutex(BoundPipeline.RunTimeFacts())

    func update(_ change: (inout BoundPipeline.RunTimeFacts) -> Void) { facts.withLock { change(&$0) } }

    func take() -> BoundPipeline.RunTimeFacts {
      facts.withLock { facts in
        defer { facts = BoundPipeline.RunTimeFacts() }
        return facts
      }
    }
  }

  public init(
    now: Date, source: SourceText, seen: @escaping SeenValues = { _ in [] },
    fileResource: @escaping FileResource = { _ in .scans }
  ) {
    self.now = now
    self.source = source
    self.seen = seen
    self.fileResource = fileResource
  }

  /// Warnings found while binding, in source order, without repeats.
  final class Notes: Sendable {
    private let list = Mutex<[String]>([])

    func add(_ text: String) { list.withLock { if !$0.contains(text) { $0.append(text) } } }

    func take() -> [String] {
      list.withLock { notes in
        defer { notes = [] }
        return notes
      }
    }
  }

  /// Binds a whole pipeline, or reports every problem in it at once.
  public func bind(_ pipeline: Pipeline) throws(Diagnostics) -> BoundPipeline {
    var diagnostics: [Diagnostic] = []
    var schema = Schema.scans
    switch pipeline.source {
    case .listing(let name, _, _, _): schema = Schema(resource: Resource(name))
    case .load(let path, _):
      let resource = fileResource(path.value)
      reads.update { $0.file = (path.value, resource) }
      schema = Schema(resource: resource)
    }
    let listed = schema.resource
    var read = FieldSet(indices: [listed.key])
    var schemas = [schema]
    var implicitDetails: [Int] = []
    var detailsFetched = false
    let boundSource: BoundPipeline.Source
    switch pipeline.source {
    case .listing(_, let search, let filter, _):
      var predicate: Predicate?
      if let filter {
        do throws(Diagnostic) {
          predicate = try bind(filter, in: schema)
        } catch {
          diagnostics.append(error)
        }
      }
      if let predicate {
        read = read.union(Self.fields(predicate.columns, schema, listed))
        if !predicate.columns.isDisjoint(with: schema.resource.detailColumns) {
          implicitDetails.append(-1)
          detailsFetched = true
        }
      }
      boundSource = .listing(listed, search: search?.value, filter: predicate)
    case .load(let path, _):
      boundSource = .load(path: path.value)
    }
    var stages: [BoundPipeline.Stage] = []
    for (index, stage) in pipeline.stages.enumerated() {
      do throws(Diagnostic) {
        if pipeline.stages[..<index].contains(where: { if case .watch = $0.kind { true } else { false } }),
          !Self.followsWatch(stage.kind)
        {
          throw Diagnostic(
            "'\(stage.name.value)' cannot follow 'watch'", at: stage.name.span,
            help: "after a watch come its events, one at a time: where, select, format, save, exec, post, notify")
        }
        let (bound, next, columns) = try bind(stage, at: index, of: pipeline.stages, in: schema)
        read = read.union(Self.fields(columns, schema, listed))
        switch bound {
        case .related: detailsFetched = false
        case .details: detailsFetched = true
        default:
          if schema.isScans, !detailsFetched, !columns.isDisjoint(with: schema.resource.detailColumns) {
            implicitDetails.append(index)
            detailsFetched = true
          }
        }
        stages.append(bound)
        schema = next
      } catch {
        diagnostics.append(error)
        // A stand-in, so stages and schemas stay aligned while the other errors are found.
        stages.append(.format(.table))
      }
      schemas.append(schema)
    }
    let warnings = notes.take()
    let facts = reads.take()
    guard diagnostics.isEmpty else { throw Diagnostics(source: source, items: diagnostics) }
    if schema.isScans || stages.contains(where: { if case .related = $0 { true } else { false } }) { read = .all }
    var pushable: BoundPipeline.Pushable?
    if case .listing(_, _, let condition?, _) = pipeline.source {
      pushable = .init(conjuncts: Self.conjuncts(condition), isStage: false)
    } else if case .listing = pipeline.source, case .filter(let condition)? = pipeline.stages.first?.kind {
      pushable = .init(conjuncts: Self.conjuncts(condition), isStage: true)
    }
    return BoundPipeline(
      syntax: pipeline, source: boundSource, stages: stages, schemas: schemas, readFields: read, warnings: warnings,
      implicitDetails: implicitDetails, dependsOn: facts, span: pipeline.span, stageSpans: pipeline.stages.map(\.span),
      pushable: pushable)
  }

  /// The top-level terms of an `and`, or the condition itself.
  static func conjuncts(_ condition: Condition) -> [Condition] {
    if case .and(let terms, _) = condition { return terms }
    return [condition]
  }

  /// The source's fields a stage reads, while rows are still the source's whole rows.
  private static func fields(_ columns: Set<Int>, _ schema: Schema, _ source: Resource) -> FieldSet {
    guard schema.isScans, schema.resource == source else { return FieldSet(mask: 0) }
    return FieldSet(indices: columns)
  }

  private func bind(_ stage: Stage, at index: Int, of all: [Stage], in schema: Schema) throws(Diagnostic)
    -> (BoundPipeline.Stage, Schema, Set<Int>)
  {
    switch stage.kind {
    case .filter(let expression):
      let predicate = try bind(expression, in: schema)
      return (.filter(predicate), schema, predicate.columns)
    case .sort(let keys):
      let specs = try keys.map { key throws(Diagnostic) in
        BoundPipeline.SortSpec(column: try schema.resolve(key.field), descending: key.descending)
      }
      return (.sort(specs), schema, Set(specs.map(\.column)))
    case .select(let fields):
      let columns = try fields.map { field throws(Diagnostic) in try schema.resolve(field) }
      let next = Schema(columns: columns.map { schema.columns[$0] }, shape: .select, resource: schema.resource)
      return (.select(columns), next, Set(columns))
    case .first(let count):
      return (.first(count.value), schema, [])
    case .count:
      return (
        .count, Schema(columns: [Column(name: "count", kind: .number)], shape: .count, resource: schema.resource), []
      )
    case .selectAll:
      let columns = Array(schema.columns.indices)
      return (
        .select(columns), Schema(columns: schema.columns, shape: .select, resource: schema.resource), Set(columns)
      )
    case .distinct(let fields):
      let columns = try fields.map { field throws(Diagnostic) in try schema.resolve(field) }
      return (.distinct(columns), schema, Set(columns))
    case .diff(let path, let fields):
      let keyName = schema.resource.columns[schema.resource.key].name
      var keys = try fields.map { field throws(Diagnostic) in try schema.resolve(field) }
      if keys.isEmpty {
        guard let key = schema.index(of: keyName) else {
          throw Diagnostic(
            "'diff' matches rows by \(keyName), which these rows do not have", at: stage.name.span,
            help: "diff before 'select' or 'group', or select \(keyName) too")
        }
        keys = [key]
      }
      guard schema.index(of: DiffColumns.change.name) == nil else {
        throw Diagnostic("these rows come from a 'diff' already", at: stage.name.span)
      }
      let next = Schema(
        columns: schema.columns + [DiffColumns.change, DiffColumns.changed],
        shape: schema.isScans ? .scans : .diff, resource: schema.resource)
      return (.diff(path: path.value, keys: keys), next, Set(schema.columns.indices))
    case .group(let spec):
      return try bind(spec, in: schema)
    case .expect(let check):
      let bound = try bind(check, in: schema)
      return (.expect(bound), schema, Self.columns(of: bound))
    case .watch(let spec):
      // After a watch come its events: filtered, shaped, saved, acted on (checked at each stage).
      let until = try spec.until.map { check throws(Diagnostic) in try bind(check, in: schema) }
      let watch = BoundWatch(
        interval: .milliseconds(spec.interval.value), until: until, limit: spec.limit.map { .milliseconds($0.value) },
        stageIndex: index)
      guard spec.interval.value >= 100 else {
        throw Diagnostic("the watch interval must be at least 100ms", at: spec.interval.span)
      }
      let events = Schema(
        columns: schema.columns + [DiffColumns.change, DiffColumns.changed, DiffColumns.reason], shape: .diff,
        resource: schema.resource)
      return (.watch(watch), events, until.map(Self.columns(of:)) ?? [])
    case .format(let format):
      return (.format(format.value), schema, [])
    case .save(let path):
      return (.save(path.value), schema, [])
    case .related(let name):
      let child = Resource(name)
      let parent = schema.resource
      let follows: Bool =
        switch (parent.id, child.id) {
        case (.scans, .sessions), (.scans, .findings), (.sessions, .findings): true
        default: false
        }
      guard follows else {
        let parents = child.id == .sessions ? "scans" : "scans or sessions"
        throw Diagnostic(
          "'| \(child)' reads the \(child == .sessions ? "runs" : "findings") of \(parents), not of \(parent)",
          at: stage.name.span,
          help: child.id == .sessions ? "start from scans: scans where … | sessions" : "start with: \(child) where …")
      }
      guard schema.shape == .scans else {
        throw Diagnostic(
          "'| \(child)' needs whole \(parent) rows, but these come from '\(schema.shape.rawValue)'",
          at: stage.name.span, help: "put '| \(child)' before '\(schema.shape.rawValue)'")
      }
      return (.related(child), Schema(resource: child), [parent.key])
    case .details:
      guard schema.resource == .findings, schema.shape == .scans else {
        throw Diagnostic(
          "'details' adds the details of findings, but these rows are \(schema.shape == .scans ? "\(schema.resource)" : "from '\(schema.shape.rawValue)'")",
          at: stage.name.span,
          help: schema.resource == .findings
            ? "put 'details' before '\(schema.shape.rawValue)'" : "for example: findings | first 5 | details")
      }
      return (.details, schema, [schema.resource.key])
    case .exec(let words):
      try Self.requireWatch(before: index, of: all, stage)
      return (.exec(words.map(\.value)), schema, [])
    case .post(let service, let url):
      try Self.requireWatch(before: index, of: all, stage)
      guard let components = URLComponents(string: url.value), let scheme = components.scheme?.lowercased(),
        let host = components.host, !host.isEmpty
      else {
        throw Diagnostic("'post' needs a URL such as https://example.com/hook", at: url.span)
      }
      let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
      guard scheme == "https" || (scheme == "http" && Endpoint.isLoopback(bare)) else {
        throw Diagnostic(
          scheme == "http"
            ? "refusing plain http:// to '\(host)': the webhook's token would travel unencrypted"
            : "'post' sends to https:// URLs only", at: url.span,
          help: "use https:// (plain http is allowed only to loopback addresses)")
      }
      return (.post(service: service?.value, url: url.value), schema, [])
    case .notify:
      try Self.requireWatch(before: index, of: all, stage)
      return (.notify, schema, [])
    case .report(let spec):
      guard index == all.count - 1 else {
        throw Diagnostic(
          "'report' must be the last stage", at: stage.name.span, help: "it saves files and prints where it put them")
      }
      guard schema.resource == .sessions, let taskId = schema.index(of: "TaskId"),
        let scanId = schema.index(of: "ScanId")
      else {
        let what = schema.resource == .sessions ? "rows without TaskId and ScanId" : "\(schema.resource)"
        throw Diagnostic(
          "'report' saves the reports of runs, but these rows are \(what)", at: stage.name.span,
          help: schema.resource == .scans
            ? "add '| sessions' before it: scans where … | sessions | report to reports"
            : "for example: sessions where status = finished | first 3 | report to reports")
      }
      let report = BoundReport(
        directory: spec.directory.value, limit: spec.limit.map { .milliseconds($0.value) }, stageIndex: index,
        taskIdColumn: taskId, scanIdColumn: scanId)
      return (.report(report), schema, [taskId, scanId])
    }
  }

  /// What may follow a watch: stages that take its events one at a time.
  static func followsWatch(_ kind: Stage.Kind) -> Bool {
    switch kind {
    case .filter, .select, .selectAll, .format, .save, .exec, .post, .notify: true
    default: false
    }
  }

  static func requireWatch(before index: Int, of all: [Stage], _ stage: Stage) throws(Diagnostic) {
    guard all[..<index].contains(where: { if case .watch = $0.kind { true } else { false } }) else {
      throw Diagnostic(
        "'\(stage.name.value)' acts on a watch's changes, and there is no watch before it", at: stage.name.span,
        help: "for example: scans where status = running | watch 30s | where Change = removed | \(stage.name.value) …")
    }
  }

  private func bind(_ spec: GroupSpec, in schema: Schema) throws(Diagnostic) -> (BoundPipeline.Stage, Schema, Set<Int>)
  {
    let keys = try spec.keys.map { field throws(Diagnostic) in try schema.resolve(field) }
    var bucket: (key: Int, bucket: GroupBucket)?
    if let written = spec.bucket {
      guard let key = keys.firstIndex(where: { schema.columns[$0].kind == .time }) else {
        throw Diagnostic(
          "'by' cuts a time into buckets, but no field of this group is a time", at: written.span,
          help: "for example: group start by day")
      }
      bucket = (key, written.value)
    }
    var columns = keys.enumerated().map { position, index in
      let column = schema.columns[index]
      let kind: FieldKind = column.kind == .list || bucket?.key == position ? .string : column.kind
      // A group key is still the account it was (diff and watch match rows by it); its other
      // roles were the whole row's.
      return Column(name: column.name, kind: kind, roles: column.roles.intersection(.account))
    }
    columns.append(Column(name: "count", kind: .number))
    var aggregates: [BoundGroup.Aggregate] = []
    for aggregate in spec.aggregates {
      let index = try schema.resolve(aggregate.field)
      let column = schema.columns[index]
      let function = aggregate.function.value
      let kind: FieldKind
      switch (function, column.kind) {
      case (.count, _): kind = .number
      case (.min, .list), (.max, .list):
        throw Diagnostic(
          "'\(function.rawValue)' needs one value per row, but '\(column.name)' is a list",
          at: aggregate.function.span.to(aggregate.field.span))
      case (.min, _), (.max, _): kind = column.kind
      case (.avg, .number), (.sum, .number): kind = .number
      case (.avg, .time): kind = .time
      default:
        throw Diagnostic(
          "'\(function.rawValue)' needs \(function == .sum ? "numbers" : "numbers or times"), but '\(column.name)' is "
            + FieldCatalog.describe(column.kind), at: aggregate.function.span.to(aggregate.field.span))
      }
      aggregates.append(BoundGroup.Aggregate(function: function, column: index))
      columns.append(Column(name: "\(function.rawValue)(\(column.name))", kind: kind))
    }
    let next = Schema(columns: columns, shape: .group, resource: schema.resource)
    let group = BoundGroup(keys: keys, bucket: bucket, aggregates: aggregates)
    return (.group(group), next, Set(keys + aggregates.map(\.column)))
  }

  private static func columns(of check: BoundCheck) -> Set<Int> {
    switch check.kind {
    case .all(let predicate), .any(let predicate), .none(let predicate): predicate.columns
    case .empty, .count: []
    }
  }

  func bind(_ check: Check, in schema: Schema) throws(Diagnostic) -> BoundCheck {
    let text = source.slice(check.span)
    switch check {
    case .empty: return BoundCheck(kind: .empty, text: text)
    case .count(let op, let number, _): return BoundCheck(kind: .count(op.value, number.value), text: text)
    case .all(let expression, _): return BoundCheck(kind: .all(try bind(expression, in: schema)), text: text)
    case .any(let expression, _): return BoundCheck(kind: .any(try bind(expression, in: schema)), text: text)
    case .none(let expression, _): return BoundCheck(kind: .none(try bind(expression, in: schema)), text: text)
    }
  }

  // MARK: Expressions

  public func bind(_ expression: Condition, in schema: Schema) throws(Diagnostic) -> Predicate {
    var columns = Set<Int>()
    let root = try node(expression, in: schema, columns: &columns)
    return Predicate(root: root, columns: columns)
  }

  private func node(_ expression: Condition, in schema: Schema, columns: inout Set<Int>) throws(Diagnostic)
    -> Predicate.Node
  {
    switch expression {
    case .and(let terms, _):
      return .and(try terms.map { term throws(Diagnostic) in try node(term, in: schema, columns: &columns) })
    case .or(let terms, _):
      return .or(try terms.map { term throws(Diagnostic) in try node(term, in: schema, columns: &columns) })
    case .not(let inner, _):
      return .not(try node(inner, in: schema, columns: &columns))
    case .comparison(let field, let op, let value):
      let column = try schema.resolve(field)
      columns.insert(column)
      let kind = schema.columns[column].kind
      let name = schema.columns[column].name
      let positive: Operator =
        switch op.value {
        case .notEqual: .equal
        case .notContains: .contains
        default: op.value
        }
      let literal = try self.literal(value, kind: kind, op: positive, field: name, comparison: expression.span)
      return .test(.init(column: column, kind: kind, op: positive, literals: [literal], negated: op.value.isNegated))
    case .membership(let field, let negated, let values, _):
      let column = try schema.resolve(field)
      columns.insert(column)
      let kind = schema.columns[column].kind
      let name = schema.columns[column].name
      let literals = try values.map { value throws(Diagnostic) in
        try literal(value, kind: kind, op: .equal, field: name, comparison: expression.span)
      }
      return .test(.init(column: column, kind: kind, op: .equal, literals: literals, negated: negated))
    }
  }

  private func literal(_ value: Value, kind: FieldKind, op: Operator, field: String, comparison: Span)
    throws(Diagnostic)
    -> Predicate.Literal
  {
    let text = value.string
    if case .coded(let codes) = kind {
      return try codedLiteral(value, codes, op: op, field: field, comparison: comparison)
    }
    if op == .contains {
      if kind == .number || kind == .time {
        throw Diagnostic(
          "'~' compares text, but '\(field)' is a \(kind == .time ? "time" : "number")", at: comparison,
          help: "compare \(kind == .time ? "times" : "numbers") with = != < <= > >=")
      }
      return .text(text, folded: TextMatch.fold(text))
    }
    switch kind {
    case .number:
      if case .number(let number) = value.kind { return .number(number) }
      if case .quoted = value.kind, let number = Double(text) { return .number(number) }
      throw Diagnostic("'\(field)' is a number, but \(value.text) is not", at: value.span)
    case .time:
      switch value.kind {
      case .number(let number): return .number(number)
      case .duration(let milliseconds):
        reads.update { $0.now = true }
        return .number(Double(Int64(now.timeIntervalSince1970 * 1000) - milliseconds))
      case .word(let word), .quoted(let word):
        if let milliseconds = TimeLiteral.parse(word, now: now) {
          if word.lowercased().hasPrefix("now") { reads.update { $0.now = true } }
          return .number(Double(milliseconds))
        }
        throw Diagnostic(
          "'\(field)' is a time, but \(value.text) is not", at: value.span,
          help:
            "write a date (2024-07-10), a date and time (2024-07-10T10:00:00Z), now-1d, or a duration meaning that long ago (2h)"
        )
      }
    case .enumeration(let known):
      if op == .equal, kind.isUndocumented(text) {
        try checkUndocumented(text, of: field, known: known, at: value.span)
      }
      return .text(text, folded: TextMatch.fold(text))
    case .string, .list, .coded:
      return .text(text, folded: TextMatch.fold(text))
    }
  }

  /// A coded field's value, by name (`important`) or by code (`3`): its code.
  private func codedLiteral(_ value: Value, _ codes: CodeNames, op: Operator, field: String, comparison: Span)
    throws(Diagnostic) -> Predicate.Literal
  {
    let shown = codes.names.count > 8 ? "'show fields' lists them" : "one of " + codes.names.joined(separator: ", ")
    if op == .contains {
      throw Diagnostic(
        "'~' compares text, but '\(field)' is a named code", at: comparison,
        help: "compare it with = != < <= > >= or in")
    }
    if case .number(let number) = value.kind {
      guard codes.name(of: number) != nil else {
        throw Diagnostic("\(field) has no value \(value.text)", at: value.span, help: shown)
      }
      return .number(number)
    }
    if let code = codes.code(written: value.string) {
      return .number(Double(code))
    }
    throw Diagnostic(
      "unknown \(field) '\(value.string)'", at: value.span,
      help: Suggestion.closest(to: value.string, in: codes.names).map { "did you mean '\($0)'?" } ?? shown)
  }

  /// A value the reference does not list for an enum field. The API adds values before its docs
  /// do, so one is matched as sent, with a warning unless it was seen in a result; a near miss of
  /// a documented value is taken for a typo.
  private func checkUndocumented(_ text: String, of field: String, known: [String], at span: Span) throws(Diagnostic) {
    reads.update { $0.seenValues = true }
    let seenValues = ScanField(apiName: field).map(seen) ?? []
    if seenValues.contains(where: { $0.equalsIgnoringCase(text) }) { return }
    if let guess = Suggestion.closest(to: text, in: known) {
      throw Diagnostic("unknown \(field) '\(text)'", at: span, help: "did you mean '\(guess)'?")
    }
    notes.add(
      "'\(text)' is not a documented \(field) (\(known.joined(separator: ", "))); matching it as the API sends it")
  }
}
