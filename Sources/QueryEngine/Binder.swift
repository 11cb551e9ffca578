import Foundation
import QueryLanguage
import ScanAPI
import Vocabulary

/// Resolves fields against the schema at each point of a pipeline, types literals, and checks the
/// shape of the pipeline, reporting every problem with its span before anything is sent.
public struct Binder: Sendable {
  public let now: Date
  public let source: SourceText

  public init(now: Date, source: SourceText) {
    self.now = now
    self.source = source
  }

  /// Binds a whole pipeline, or reports every problem in it at once.
  public func bind(_ pipeline: Pipeline) throws(Diagnostics) -> BoundPipeline {
    var diagnostics: [Diagnostic] = []
    var read = FieldSet(mask: 0)
    read.insert(.scanId)
    var schema = Schema.scans
    var schemas = [schema]
    let boundSource: BoundPipeline.Source
    switch pipeline.source {
    case .scans(let search, let filter, _):
      var predicate: Predicate?
      if let filter {
        do throws(Diagnostic) {
          predicate = try bind(filter, in: schema)
        } catch {
          diagnostics.append(error)
        }
      }
      if let predicate { read = read.union(Self.fields(predicate.columns, schema)) }
      boundSource = .scans(search: search?.value, filter: predicate)
    case .load(let path, _):
      boundSource = .load(path: path.value)
    }
    var stages: [BoundPipeline.Stage] = []
    for (index, stage) in pipeline.stages.enumerated() {
      do throws(Diagnostic) {
        let (bound, next, columns) = try bind(stage, at: index, of: pipeline.stages, in: schema)
        read = read.union(Self.fields(columns, schema))
        stages.append(bound)
        schema = next
      } catch {
        diagnostics.append(error)
        stages.append(.format("table"))
      }
      schemas.append(schema)
    }
    guard diagnostics.isEmpty else { throw Diagnostics(source: source, items: diagnostics) }
    if schema.isScans { read = .all }
    return BoundPipeline(syntax: pipeline, source: boundSource, stages: stages, schemas: schemas, readFields: read)
  }

  private static func fields(_ columns: Set<Int>, _ schema: Schema) -> FieldSet {
    guard schema.isScans else { return FieldSet(mask: 0) }
    return FieldSet(columns.compactMap { ScanField(rawValue: $0) })
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
      let next = Schema(columns: columns.map { schema.columns[$0] }, isScans: false, shapedBy: "select")
      return (.select(columns), next, Set(columns))
    case .first(let count):
      return (.first(count.value), schema, [])
    case .count:
      return (.count, Schema(columns: [Column(name: "count", kind: .number)], isScans: false, shapedBy: "count"), [])
    case .group(let field):
      let column = try schema.resolve(field)
      let keyColumn = schema.columns[column]
      let next = Schema(
        columns: [
          Column(name: keyColumn.name, kind: keyColumn.kind == .list ? .string : keyColumn.kind),
          Column(name: "count", kind: .number),
        ],
        isScans: false, shapedBy: "group")
      return (.group(column), next, [column])
    case .expect(let check):
      let bound = try bind(check, in: schema)
      return (.expect(bound), schema, Self.columns(of: bound))
    case .watch(let spec):
      if all[(index + 1)...].contains(where: { if case .format = $0.kind { false } else { true } }) {
        throw Diagnostic(
          "'watch' must be the last stage", at: stage.name.span, help: "only 'format' may follow it")
      }
      let until = try spec.until.map { check throws(Diagnostic) in try bind(check, in: schema) }
      let watch = BoundWatch(
        interval: .milliseconds(spec.interval.value), until: until, limit: spec.limit.map { .milliseconds($0.value) },
        stageIndex: index)
      guard spec.interval.value >= 100 else {
        throw Diagnostic("the watch interval must be at least 100ms", at: spec.interval.span)
      }
      return (.watch(watch), schema, until.map(Self.columns(of:)) ?? [])
    case .format(let format):
      return (.format(format.value), schema, [])
    case .save(let path):
      return (.save(path.value), schema, [])
    }
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
        return .number(Double(Int64(now.timeIntervalSince1970 * 1000) - milliseconds))
      case .word(let word), .quoted(let word):
        if let milliseconds = TimeLiteral.parse(word, now: now) { return .number(Double(milliseconds)) }
        throw Diagnostic(
          "'\(field)' is a time, but \(value.text) is not", at: value.span,
          help:
            "write a date (2024-07-10), a date and time (2024-07-10T10:00:00Z), now-1d, or a duration meaning that long ago (2h)"
        )
      }
    case .enumeration(let known):
      if op == .equal, !known.contains(text.lowercased()) {
        throw Diagnostic(
          "unknown \(field) '\(text)'", at: value.span,
          help: Suggestion.didYouMean(text, in: known) ?? "\(field) is one of: " + known.joined(separator: ", "))
      }
      return .text(text, folded: TextMatch.fold(text))
    case .string, .list:
      return .text(text, folded: TextMatch.fold(text))
    }
  }
}
