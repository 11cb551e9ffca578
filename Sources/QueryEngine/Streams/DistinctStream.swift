import Vocabulary

/// `distinct`: the first row of each combination of values. Holds the combinations seen, at most
/// `maxKeys` of them.
final class DistinctStream: StageStream {
  static let maxKeys = 2_000_000

  private let columns: [Int]
  private var seen = Set<[FieldValue?]>()

  init(_ upstream: any RowStream, columns: [Int]) {
    self.columns = columns
    super.init(upstream)
  }

  override func next() async throws -> Row? {
    while let row = try await upstream.next() {
      guard seen.insert(columns.map { row.values[$0] }).inserted else { continue }
      guard seen.count <= Self.maxKeys else { throw EvaluationError.tooManyDistinctValues(Self.maxKeys) }
      return row
    }
    return nil
  }
}
