import ScanAPI
import Vocabulary

/// A pulled stream of rows: each stage asks the one before it for the next row.
public protocol RowStream: AnyObject {
  /// The next row, or nil at the end.
  func next() async throws -> Row?
  /// Called once by the consumer after its last `next()`, even when it stopped early: stages that
  /// must see all their input (`save`) finish their work here.
  func finish() async throws
}

/// A stage with one upstream.
class StageStream: RowStream {
  let upstream: any RowStream

  init(_ upstream: any RowStream) { self.upstream = upstream }

  func next() async throws -> Row? { try await upstream.next() }

  func finish() async throws { try await upstream.finish() }
}

/// Rows from a scan listing, each marked with the account it came from.
final class ListingStream: RowStream {
  private var iterator: ScanListing.Iterator
  private let account: FieldValue

  init(_ listing: ScanListing, account: String) {
    iterator = listing.makeAsyncIterator()
    self.account = .string(account)
  }

  func next() async throws -> Row? {
    guard var scan = try await iterator.next() else { return nil }
    scan[.account] = account
    return Row(values: scan.values)
  }

  func finish() async throws {}
}

/// Rows from a file `load` reads.
final class FileStream: RowStream {
  private var reader: ScanFileReader
  private var count = 0

  init(_ reader: ScanFileReader) { self.reader = reader }

  func next() async throws -> Row? {
    count += 1
    // Reading is synchronous; let a long load notice cancellation now and then.
    if count & 1023 == 0 { try Task.checkCancellation() }
    return try reader.next().map { Row(values: $0.values) }
  }

  func finish() async throws {}
}

/// A fixed list of rows.
final class ArrayStream: RowStream {
  private let rows: [Row]
  private var index = 0

  init(_ rows: [Row]) { self.rows = rows }

  func next() async throws -> Row? {
    guard index < rows.count else { return nil }
    index += 1
    return rows[index - 1]
  }

  func finish() async throws {}
}
