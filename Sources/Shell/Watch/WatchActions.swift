import Formatters
import QueryEngine
import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// What comes after a watch: its changes as rows (the watched row's fields, new values, then
/// `Change`, `Changed` and `Reason`), through `where` and `select`, out as a stream, appended to a
/// file, or acted on: `exec`, `post`, `notify`. The first tick is the watch's starting point, not
/// news: its rows are no events here (a watch of findings does not post every finding it starts
/// with). Events are handled one at a time, in order; an action that fails is warned about and
/// counted, and the watch goes on.
final class WatchActions {
  enum Step {
    case filter(QueryEngine.Predicate)
    case select([Int])
    case save(EventFile)
    case exec(ExecAction)
    case post(PostAction)
    case notify(Notifier)
  }

  /// Each step with the columns of the rows it receives.
  private let steps: [(step: Step, columns: [Column])]
  /// The columns of the rows that come out of the last step.
  let outputColumns: [Column]
  /// Actions (save, exec, post, notify) follow the watch: its screen or log stays, with a line per
  /// action; without them, the events that pass are the output.
  let hasActions: Bool
  private let eventColumns: [Column]
  private var ticked = false
  /// Runs and failures by action (`exec`, `post`, `save`, `notify`).
  private(set) var runs: [String: Int] = [:]
  private(set) var failures: [String: Int] = [:]
  /// Told of each action run and each failure, for the screen or the log.
  var note: (String) -> Void = { _ in }

  init(steps: [(step: Step, columns: [Column])], eventColumns: [Column], outputColumns: [Column]) {
    self.steps = steps
    self.eventColumns = eventColumns
    self.outputColumns = outputColumns
    hasActions = steps.contains {
      switch $0.step {
      case .filter, .select: false
      case .save, .exec, .post, .notify: true
      }
    }
  }

  var failureCount: Int { failures.values.reduce(0, +) }

  /// The events' rows, through the steps; returns the rows that came out of the last one.
  func handle(_ events: [WatchEvent], at date: Date) async throws -> [Row] {
    guard ticked else {
      ticked = true
      return []
    }
    var out: [Row] = []
    for event in events {
      var row = Self.row(of: event, columns: eventColumns)
      var passed = true
      for (step, columns) in steps {
        try Task.checkCancellation()
        switch step {
        case .filter(let predicate):
          passed = predicate.matches(row)
        case .select(let indices):
          row = Row(values: indices.map { row.values[$0] })
        case .save(let file):
          record("save", ok: file.append(EventText.json(row, columns: columns, at: date)))
        case .exec(let action):
          let result = await action.run(
            stdin: EventText.json(row, columns: columns, at: date),
            environment: EventText.environment(row, columns: columns))
          record("exec", ok: result == nil, failure: result)
          if result == nil { note("exec \(action.program): \(EventText.line(row, columns: columns))") }
        case .post(let action):
          let result = await action.send(row, columns: columns, at: date)
          record("post", ok: result == nil, failure: result)
          if result == nil { note("posted to \(action.shown): \(EventText.line(row, columns: columns))") }
        case .notify(let notifier):
          notifier.notify(title: "scansh", body: EventText.line(row, columns: columns))
          record("notify", ok: true)
        }
        if !passed { break }
      }
      if passed { out.append(row) }
    }
    return out
  }

  private func record(_ action: String, ok: Bool, failure: String? = nil) {
    runs[action, default: 0] += 1
    guard !ok else { return }
    failures[action, default: 0] += 1
    note("warning: \(failure ?? "\(action) failed")")
  }

  /// One line for the end of the watch: how the actions went.
  var summary: String? {
    guard hasActions, !runs.isEmpty else { return nil }
    let parts = runs.keys.sorted().map { action -> String in
      let failed = failures[action] ?? 0
      return "\(action) \(runs[action]!)" + (failed > 0 ? " (\(failed) failed)" : "")
    }
    return "watch: actions: " + parts.joined(separator: ", ")
  }

  /// An event as a row of the event columns: the row's values, then Change, Changed, Reason. A
  /// removed row whose new status was looked up carries it.
  static func row(of event: WatchEvent, columns: [Column]) -> Row {
    let base = columns.count - 3
    var values = Array(event.row.values.prefix(base))
    while values.count < base { values.append(nil) }
    var changed = event.changes.map { columns[$0.column].name }
    if event.kind == .removed, let new = event.status,
      let status = Array(columns.prefix(base)).firstIndex(role: .status), values[status] != new
    {
      values[status] = new
      changed.append(columns[status].name)
    }
    values.append(.string(event.kind.rawValue))
    values.append(changed.isEmpty ? nil : .list(changed))
    values.append(event.reason.map { .string($0) })
    return Row(values: values)
  }
}

/// How an event is written for programs and people.
enum EventText {
  /// `{"at":"2026-11-02T09:01:00Z","ScanId":"…",…,"Change":"removed",…}`, one line.
  static func json(_ row: Row, columns: [Column], at date: Date) -> String {
    var writer = JSONWriter()
    writer.raw("{")
    writer.key("at")
    writer.string(WireTimestamp.format(secondsSince1970: date.timeIntervalSince1970))
    for (index, column) in columns.enumerated() {
      guard let value = row.values[index] else { continue }
      writer.raw(",")
      writer.key(column.name)
      writer.value(value)
    }
    writer.raw("}")
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  /// `SCANSH_CHANGE`, `SCANSH_KEY`, `SCANSH_ACCOUNT`, and `SCANSH_<FIELD>` for each field present
  /// (upper-cased; a list joined with commas).
  static func environment(_ row: Row, columns: [Column]) -> [String: String] {
    var variables: [String: String] = [:]
    for (index, column) in columns.enumerated() {
      guard let value = row.values[index] else { continue }
      let text: String
      if case .list(let items) = value { text = items.joined(separator: ",") } else { text = value.text }
      let name = column.name.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
      variables["SCANSH_" + name] = text
    }
    if let key = columns.firstIndex(role: .key), let value = row.values[key] { variables["SCANSH_KEY"] = value.text }
    if let account = columns.firstIndex(role: .account), let value = row.values[account] {
      variables["SCANSH_ACCOUNT"] = value.text
    }
    return variables
  }

  /// One line for a chat message, a notification or a log: `removed 2026… prod-weekly: Status
  /// finished`, `added 9668… SQL injection (important)`.
  static func line(_ row: Row, columns: [Column]) -> String {
    func value(_ name: String) -> FieldValue? {
      columns.firstIndex { $0.name == name }.flatMap { row.values[$0] }
    }
    var parts: [String] = [value("Change")?.text ?? "change"]
    let summary = RowSummary.line(row, columns: Array(columns))
    if !summary.isEmpty { parts.append(summary) }
    if case .list(let changed) = value("Changed") {
      let shown = changed.compactMap { name -> String? in
        guard let index = columns.firstIndex(where: { $0.name == name }), let new = row.values[index] else {
          return nil
        }
        return "\(name) \(CellText.text(new, column: columns[index], utc: true))"
      }
      if !shown.isEmpty { parts.append("→ " + shown.joined(separator: ", ")) }
    }
    if let reason = value("Reason")?.text, value("Changed") == nil { parts.append("(\(reason))") }
    return parts.joined(separator: " ")
  }
}

/// `save PATH` after a watch: each event appended as a JSON line and synced, so what was seen
/// survives a crash; earlier lines are kept.
final class EventFile: Sendable {
  let path: String
  private let descriptor: Int32
  private let failure: String?

  init(path: String) {
    self.path = path
    descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    failure = descriptor < 0 ? String(cString: strerror(errno)) : nil
  }

  /// Nil when it opened; else why not (checked before the watch starts).
  var openError: String? { failure }

  deinit { if descriptor >= 0 { close(descriptor) } }

  func append(_ line: String) -> Bool {
    guard descriptor >= 0 else { return false }
    return FileDescriptorSink.write(line + "\n", to: descriptor) && fsync(descriptor) == 0
  }
}
