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

/// Writes the rows passing through to PATH as ndjson: into a temporary file beside it, renamed over
/// PATH only once every row is written. An error or a Ctrl-C leaves PATH as it was.
final class SaveStream: StageStream {
  private let path: String
  private let columns: [Column]
  private let temporary: String
  private var descriptor: Int32 = -1
  private var writer = JSONWriter(capacity: 1 << 16)
  private var committed = false
  private(set) var rowsWritten = 0

  init(_ upstream: any RowStream, path: String, columns: [Column]) throws {
    self.path = path
    self.columns = columns
    let url = URL(fileURLWithPath: path)
    temporary =
      url.deletingLastPathComponent().appendingPathComponent(
        ".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
      ).path
    super.init(upstream)
    descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw EvaluationError.save(path: path, reason: String(cString: strerror(errno)))
    }
  }

  deinit {
    if descriptor >= 0 { close(descriptor) }
    if !committed { unlink(temporary) }
  }

  override func next() async throws -> Row? {
    guard let row = try await upstream.next() else {
      try commit()
      return nil
    }
    writer.object(row, columns: columns)
    writer.raw(0x0A)
    rowsWritten += 1
    if writer.bytes.count >= 1 << 16 { try flush() }
    return row
  }

  override func finish() async throws {
    while try await next() != nil {}
    try await upstream.finish()
  }

  private func flush() throws {
    let failure = writer.bytes.withUnsafeBytes { writeAll($0, to: descriptor) }
    guard failure == 0 else { throw EvaluationError.save(path: path, reason: String(cString: strerror(failure))) }
    writer.bytes.removeAll(keepingCapacity: true)
  }

  private func commit() throws {
    guard !committed else { return }
    try flush()
    guard fsync(descriptor) == 0, close(descriptor) == 0 else {
      throw EvaluationError.save(path: path, reason: String(cString: strerror(errno)))
    }
    descriptor = -1
    guard rename(temporary, path) == 0 else {
      throw EvaluationError.save(path: path, reason: String(cString: strerror(errno)))
    }
    committed = true
  }
}
