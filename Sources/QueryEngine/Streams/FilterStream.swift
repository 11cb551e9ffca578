import ScanAPI
import Vocabulary

final class FilterStream: StageStream {
  private let predicate: Predicate

  init(_ upstream: any RowStream, _ predicate: Predicate) {
    self.predicate = predicate
    super.init(upstream)
  }

  override func next() async throws -> Row? {
    while let row = try await upstream.next() {
      if predicate.matches(row) { return row }
    }
    return nil
  }
}

final class SelectStream: StageStream {
  private let columns: [Int]

  init(_ upstream: any RowStream, _ columns: [Int]) {
    self.columns = columns
    super.init(upstream)
  }

  override func next() async throws -> Row? {
    guard let row = try await upstream.next() else { return nil }
    return Row(values: columns.map { row.values[$0] })
  }
}

final class FirstStream: StageStream {
  private var remaining: Int

  init(_ upstream: any RowStream, _ count: Int) {
    remaining = count
    super.init(upstream)
  }

  override func next() async throws -> Row? {
    guard remaining > 0 else { return nil }
    remaining -= 1
    return try await upstream.next()
  }
}

final class CountStream: StageStream {
  private var done = false

  override func next() async throws -> Row? {
    guard !done else { return nil }
    done = true
    var count = 0
    while try await upstream.next() != nil { count += 1 }
    return Row(values: [.number(Double(count))])
  }
}
