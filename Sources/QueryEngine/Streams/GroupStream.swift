import ScanAPI
import Vocabulary

/// Counts rows per value of a column, largest group first, ties by value; a list field counts
/// each of its items.
final class GroupStream: StageStream {
  private let column: Int
  private var rows: [Row]?
  private var index = 0

  init(_ upstream: any RowStream, column: Int) {
    self.column = column
    super.init(upstream)
  }

  override func next() async throws -> Row? {
    if rows == nil { rows = try await group() }
    guard let rows, index < rows.count else { return nil }
    index += 1
    return rows[index - 1]
  }

  private func group() async throws -> [Row] {
    var counts: [FieldValue?: Int] = [:]
    while let row = try await upstream.next() {
      if case .list(let items) = row.values[column] {
        for item in Set(items) { counts[.string(item), default: 0] += 1 }
      } else {
        counts[row.values[column], default: 0] += 1
      }
    }
    return counts.sorted { a, b in
      if a.value != b.value { return a.value > b.value }
      switch SortStream.compare(a.key, b.key) {
      case .ascending, .missingSecond: return true
      default: return false
      }
    }.map { Row(values: [$0.key, .number(Double($0.value))]) }
  }
}
