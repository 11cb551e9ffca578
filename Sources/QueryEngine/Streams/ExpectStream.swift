import QueryLanguage
import ScanAPI
import Vocabulary

/// An `expect` that did not hold: the check as written, what was found instead, and the first rows
/// that broke it (as one line each), with `more` when there were others.
public struct ExpectationFailure: Error, Sendable, Equatable, CustomStringConvertible {
  public var check: String
  public var found: String
  public var examples: [String]
  public var more: Bool

  public init(check: String, found: String, examples: [String] = [], more: Bool = false) {
    self.check = check
    self.found = found
    self.examples = examples
    self.more = more
  }

  /// One line: what was expected and what was found.
  public var summary: String { "expected \(check), but \(found)" }

  public var description: String {
    guard !examples.isEmpty else { return summary }
    return summary + ":" + examples.map { "\n  " + $0 }.joined() + (more ? "\n  …" : "")
  }
}

/// Passes rows through and, at the end of its input, fails the statement unless the check holds.
final class ExpectStream: StageStream {
  static let examplesShown = 3

  private let check: BoundCheck
  private let columns: [Column]
  private var count = 0
  private var anyMatched = false
  /// Rows that break the check (all rows for `empty`), the first few kept for the message.
  private var offenders = 0
  private var examples: [Row] = []

  init(_ upstream: any RowStream, check: BoundCheck, columns: [Column]) {
    self.check = check
    self.columns = columns
    super.init(upstream)
  }

  override func next() async throws -> Row? {
    guard let row = try await upstream.next() else {
      try verdict()
      return nil
    }
    count += 1
    let offends: Bool
    switch check.kind {
    case .empty: offends = true
    case .count: offends = false
    case .all(let predicate): offends = !predicate.matches(row)
    case .none(let predicate): offends = predicate.matches(row)
    case .any(let predicate):
      if predicate.matches(row) { anyMatched = true }
      offends = false
    }
    if offends {
      offenders += 1
      if examples.count < Self.examplesShown { examples.append(row) }
    }
    return row
  }

  override func finish() async throws {
    // Only a check that saw all its input can pass.
    while try await next() != nil {}
    try await upstream.finish()
  }

  private var finished = false

  private func verdict() throws {
    guard !finished else { return }
    finished = true
    let rows = { (n: Int) in n == 1 ? "1 row" : "\(n) rows" }
    switch check.kind {
    case .empty where offenders > 0:
      throw failure("found \(rows(offenders))")
    case .count(let op, let number) where !Self.holds(count, op, number):
      throw ExpectationFailure(check: "count \(op.rawValue) \(number)", found: "the count is \(count)")
    case .all where offenders > 0:
      throw failure("\(rows(offenders)) of \(count) do not match")
    case .none where offenders > 0:
      throw failure("\(rows(offenders)) of \(count) match")
    case .any where !anyMatched:
      throw ExpectationFailure(
        check: check.text, found: count == 0 ? "there are no rows" : "none of \(rows(count)) match")
    default:
      return
    }
  }

  private func failure(_ summary: String) -> ExpectationFailure {
    ExpectationFailure(
      check: check.text, found: summary, examples: examples.map { RowSummary.line($0, columns: columns) },
      more: offenders > examples.count)
  }

  static func holds(_ count: Int, _ op: Operator, _ number: Int) -> Bool {
    switch op {
    case .equal: count == number
    case .notEqual: count != number
    case .less: count < number
    case .lessOrEqual: count <= number
    case .greater: count > number
    case .greaterOrEqual: count >= number
    case .contains, .notContains: false
    }
  }
}

/// One line naming a row in messages: its key, name and status (or severity) when the row has them.
public enum RowSummary {
  public static func line(_ row: Row, columns: [Column]) -> String {
    let preferred: [ColumnRoles] = [.key, .title, .severity, .status]
    var indices = preferred.compactMap { columns.firstIndex(role: $0) }
    if indices.count > 3 { indices.removeLast() }
    if indices.isEmpty { indices = Array(columns.indices.prefix(3)) }
    return indices.map { index in
      guard let value = row.values[index] else { return "-" }
      if case .coded(let codes) = columns[index].kind, let number = value.numberValue, let name = codes.name(of: number)
      {
        return name
      }
      return value.text
    }.joined(separator: "  ")
  }
}
