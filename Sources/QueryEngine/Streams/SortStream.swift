import ScanAPI
import Vocabulary

/// Sorts by several keys: stable, missing values last whatever the direction, numbers and times
/// numerically, text by its UTF-8 bytes. With a `first N` after it, only the best N rows are kept.
final class SortStream: StageStream {
  /// Rows a full sort may hold; beyond this the statement fails rather than exhaust memory.
  static let maxRows = 2_000_000

  private let keys: [BoundPipeline.SortSpec]
  private let limit: Int?
  private var sorted: [Row]?
  private var index = 0

  init(_ upstream: any RowStream, keys: [BoundPipeline.SortSpec], limit: Int?) {
    self.keys = keys
    self.limit = limit
    super.init(upstream)
  }

  override func next() async throws -> Row? {
    if sorted == nil { sorted = try await collect() }
    guard let sorted, index < sorted.count else { return nil }
    index += 1
    return sorted[index - 1]
  }

  private func collect() async throws -> [Row] {
    var entries: [(row: Row, order: Int)] = []
    var order = 0
    if let limit, limit <= 10_000 {
      // Top N: keep `limit` best rows in order; a row worse than the worst kept is dropped at once.
      guard limit > 0 else { return [] }
      while let row = try await upstream.next() {
        let entry = (row: row, order: order)
        order += 1
        if entries.count == limit, !precedes(entry, entries[entries.count - 1]) { continue }
        var low = 0
        var high = entries.count
        while low < high {
          let middle = (low + high) / 2
          if precedes(entry, entries[middle]) { high = middle } else { low = middle + 1 }
        }
        entries.insert(entry, at: low)
        if entries.count > limit { entries.removeLast() }
      }
      return entries.map(\.row)
    }
    while let row = try await upstream.next() {
      guard entries.count < Self.maxRows else { throw EvaluationError.tooManyRowsToSort(Self.maxRows) }
      entries.append((row, order))
      order += 1
    }
    entries.sort(by: precedes)
    return entries.map(\.row)
  }

  private func precedes(_ a: (row: Row, order: Int), _ b: (row: Row, order: Int)) -> Bool {
    for key in keys {
      switch Self.compare(a.row.values[key.column], b.row.values[key.column]) {
      case .orderedSame: continue
      case .missingFirst: return false
      case .missingSecond: return true
      case .ascending: return !key.descending
      case .descending: return key.descending
      }
    }
    return a.order < b.order
  }

  enum Ordering { case ascending, descending, orderedSame, missingFirst, missingSecond }

  static func compare(_ a: FieldValue?, _ b: FieldValue?) -> Ordering {
    switch (a, b) {
    case (nil, nil): return .orderedSame
    case (nil, _): return .missingFirst
    case (_, nil): return .missingSecond
    case (.number(let x)?, .number(let y)?):
      return x < y ? .ascending : (x > y ? .descending : .orderedSame)
    case (let x?, let y?):
      let left = x.text
      let right = y.text
      if left == right { return .orderedSame }
      return left.utf8.lexicographicallyPrecedes(right.utf8) ? .ascending : .descending
    }
  }
}

public enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
  case tooManyRowsToSort(Int)
  case tooManyDistinctValues(Int)
  /// One account of several failed; the rows of the others were yielded first.
  case accountFailed(account: String, ScanAPIError)
  case save(path: String, reason: String)

  public var description: String {
    switch self {
    case .tooManyRowsToSort(let limit): "sort holds at most \(limit) rows; filter with 'where' before sorting"
    case .accountFailed(let account, let error): "account '\(account)': \(error)"
    case .tooManyDistinctValues(let limit):
      "distinct holds at most \(limit) combinations; filter with 'where' before it"
    case .save(let path, let reason): "cannot save to \(path): \(reason)"
    }
  }
}
