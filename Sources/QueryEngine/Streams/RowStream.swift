import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A pulled stream of rows: each stage asks the one before it for the next row.
public protocol RowStream: AnyObject {
  /// The next row, or nil at the end.
  func next() async throws -> Row?
  /// Called once by the consumer after its last `next()`, even when it stopped early: stages that
  /// must see all their input (`save`) finish their work here.
  func finish() async throws
}

/// A stream that can make each row's printed text where the row is made, on the producing task,
/// so a consumer that prints rows in order does not have to make them all itself: with several
/// accounts, the rows of the accounts after the first are ready when their turn comes.
public protocol RendersAhead: RowStream {
  /// From now on, rows carry `text(row)`; rows made before this call carry none.
  func renderAhead(_ text: @escaping @Sendable (Row) -> String)
  /// The next row, with its text when it was made ahead; nil at the end.
  func nextRendered() async throws -> (row: Row, text: String?)?
}

/// A stage with one upstream.
class StageStream: RowStream {
  let upstream: any RowStream

  init(_ upstream: any RowStream) { self.upstream = upstream }

  func next() async throws -> Row? { try await upstream.next() }

  func finish() async throws { try await upstream.finish() }
}

/// Rows of one account's listings, each marked with the account it came from.
final class ListingStream: RowStream {
  private let source: SourceRows
  private var rows: [Row] = []
  private var index = 0

  init(_ source: SourceRows) { self.source = source }

  func next() async throws -> Row? {
    while index == rows.count {
      guard let more = try await source.nextRows() else { return nil }
      rows = more
      index = 0
    }
    index += 1
    return rows[index - 1]
  }

  func finish() async throws {}
}

/// Rows from a file `load` reads. An ndjson file is read a run of lines at a time and each run is
/// decoded in its own task, a few runs ahead of the consumer, so decoding uses every core while
/// memory stays bounded (a few MiB of lines and their scans). The `where` stages right after `load`
/// run in those tasks too, so only the rows they keep cross to the consumer. Rows come out in file
/// order; a bad line is reported after the rows before it, naming its line.
final class FileStream: RowStream {
  /// Runs decoded ahead of the one being consumed: a core for the consumer, the others decode.
  static let runsAhead = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)

  private var reader: ScanFileReader
  private var decoding: [Task<(rows: [Row], failure: (any Error)?), Never>] = []
  private var rows: [Row] = []
  private var index = 0
  /// What ends the rows once those before it are out: a bad line, or the file failing to read.
  private var failure: (any Error)?
  private var readFailure: (any Error)?
  private var readAll = false
  private let filters: [Predicate]

  init(_ reader: ScanFileReader, filters: [Predicate] = []) {
    self.reader = reader
    self.filters = filters
  }

  fileprivate static func kept(_ row: Row, by filters: [Predicate]) -> Bool {
    filters.allSatisfy { $0.matches(row) }
  }

  deinit { for task in decoding { task.cancel() } }

  func next() async throws -> Row? {
    if reader.isDocument {
      while let scan = try reader.next() {
        let row = Row(values: scan.values)
        if Self.kept(row, by: filters) { return row }
      }
      return nil
    }
    while true {
      if index < rows.count {
        index += 1
        return rows[index - 1]
      }
      if let failure { throw failure }
      startDecoding()
      guard !decoding.isEmpty else {
        if let readFailure { throw readFailure }
        return nil
      }
      let task = decoding.removeFirst()
      // The next runs decode while this one is consumed.
      startDecoding()
      let decoded = await withTaskCancellationHandler {
        await task.value
      } onCancel: {
        task.cancel()
      }
      try Task.checkCancellation()
      rows = decoded.rows
      index = 0
      failure = decoded.failure
    }
  }

  private func startDecoding() {
    while !readAll, decoding.count < Self.runsAhead {
      do {
        guard let lines = try reader.nextLines() else {
          readAll = true
          return
        }
        let filters = filters
        decoding.append(Task { decode(lines, keeping: filters) })
      } catch {
        // Said once the rows read before it are out.
        readFailure = error
        readAll = true
      }
    }
  }

  func finish() async throws {
    for task in decoding { task.cancel() }
  }
}

/// A run of lines decoded into rows, those the filters keep.
private func decode(_ lines: ScanFileReader.Lines, keeping filters: [Predicate]) -> (
  rows: [Row], failure: (any Error)?
) {
  let decoded = lines.decode()
  let rows = decoded.scans.lazy.map { Row(values: $0.values) }
  return (filters.isEmpty ? Array(rows) : rows.filter { FileStream.kept($0, by: filters) }, decoded.failure)
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
