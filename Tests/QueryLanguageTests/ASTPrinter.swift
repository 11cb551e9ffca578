import QueryLanguage

/// A compact, stable S-expression form of the AST for golden tests.
enum ASTPrinter {
  static func print(_ script: Script) -> String {
    script.statements.map { print($0) }.joined(separator: "\n")
  }

  static func print(_ statement: Statement) -> String {
    switch statement.kind {
    case .pipeline(let pipeline): return print(pipeline)
    case .command(let command): return print(command)
    }
  }

  static func print(_ pipeline: Pipeline) -> String {
    var parts: [String] = []
    switch pipeline.source {
    case .listing(let name, let search, let filter, _):
      var text = "(\(name.rawValue)"
      if let search { text += " (search \(quote(search.value)))" }
      if let filter { text += " (where \(print(filter)))" }
      parts.append(text + ")")
    case .load(let path, _):
      parts.append("(load \(quote(path.value)))")
    }
    for stage in pipeline.stages { parts.append(print(stage)) }
    return parts.joined(separator: " | ")
  }

  static func print(_ stage: Stage) -> String {
    switch stage.kind {
    case .filter(let condition): return "(where \(print(condition)))"
    case .sort(let keys):
      return "(sort " + keys.map { "\($0.field.name) \($0.descending ? "desc" : "asc")" }.joined(separator: ", ") + ")"
    case .select(let fields): return "(select " + fields.map(\.name).joined(separator: ", ") + ")"
    case .first(let count): return "(\(stage.name.value.lowercased()) \(count.value))"
    case .count: return "(count)"
    case .selectAll: return "(select *)"
    case .group(let spec):
      var text = "(group " + spec.keys.map(\.name).joined(separator: ", ")
      switch spec.bucket?.value {
      case .every(let milliseconds)?: text += " (by \(milliseconds)ms)"
      case .calendar(let unit)?: text += " (by \(unit.rawValue))"
      case nil: break
      }
      if !spec.aggregates.isEmpty {
        text +=
          " (with " + spec.aggregates.map { "\($0.function.value.rawValue) \($0.field.name)" }.joined(separator: ", ")
          + ")"
      }
      return text + ")"
    case .distinct(let fields): return "(distinct " + fields.map(\.name).joined(separator: ", ") + ")"
    case .diff(let path, let fields):
      return "(diff \(quote(path.value))"
        + (fields.isEmpty ? "" : " (by " + fields.map(\.name).joined(separator: ", ") + ")") + ")"
    case .expect(let check): return "(expect \(print(check)))"
    case .report(let spec): return "(report \(print(spec)))"
    case .exec(let words): return "(exec " + words.map { quote($0.value) }.joined(separator: " ") + ")"
    case .post(let service, let url): return "(post \(service.map { $0.value + " " } ?? "")\(quote(url.value)))"
    case .notify: return "(notify)"
    case .watch(let spec):
      var text = "(watch \(spec.interval.value)ms"
      if let until = spec.until { text += " (until \(print(until)))" }
      if let limit = spec.limit { text += " (for \(limit.value)ms)" }
      return text + ")"
    case .format(let format): return "(format \(format.value))"
    case .save(let path): return "(save \(quote(path.value)))"
    case .related(let name): return "(\(name.rawValue))"
    case .details: return "(details)"
    }
  }

  static func print(_ check: Check) -> String {
    switch check {
    case .empty: "empty"
    case .count(let op, let number, _): "count \(op.value.rawValue) \(number.value)"
    case .all(let condition, _): "all \(print(condition))"
    case .any(let condition, _): "any \(print(condition))"
    case .none(let condition, _): "none \(print(condition))"
    }
  }

  static func print(_ condition: Condition) -> String {
    switch condition {
    case .and(let terms, _): "(and " + terms.map(print).joined(separator: " ") + ")"
    case .or(let terms, _): "(or " + terms.map(print).joined(separator: " ") + ")"
    case .not(let inner, _): "(not \(print(inner)))"
    case .comparison(let field, let op, let value): "(\(op.value.rawValue) \(field.name) \(print(value)))"
    case .membership(let field, let negated, let values, _):
      "(\(negated ? "not-in" : "in") \(field.name) " + values.map(print).joined(separator: " ") + ")"
    }
  }

  static func print(_ value: Value) -> String {
    switch value.kind {
    case .word(let word): word
    case .quoted(let text): quote(text)
    case .number: "#\(value.text)"
    case .duration(let milliseconds): "\(milliseconds)ms"
    }
  }

  static func print(_ command: Command) -> String {
    switch command {
    case .help(let topic): "(help\(topic.map { " " + $0.value } ?? ""))"
    case .set(let name, let value): "(set \(name.value) \(print(value)))"
    case .show(let topic): "(show \(topic.value.rawValue))"
    case .use(let names): "(use " + names.map(\.value).joined(separator: ", ") + ")"
    case .explain(let pipeline): "(explain \(print(pipeline)))"
    case .history: "(history)"
    case .source(let path): "(source \(quote(path.value)))"
    case .exit: "(exit)"
    case .param(let name, let value): "(param \(name.value)\(value.map { " " + print($0) } ?? ""))"
    case .report(let taskIds, let spec): "(report " + taskIds.map(\.value).joined(separator: ", ") + " \(print(spec)))"
    }
  }

  static func print(_ spec: ReportSpec) -> String {
    "(to \(quote(spec.directory.value)))" + (spec.limit.map { " (for \($0.value)ms)" } ?? "")
  }

  static func quote(_ text: String) -> String { "\"" + text + "\"" }
}
