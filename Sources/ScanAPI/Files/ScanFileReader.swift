import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// Reads scans from a file, streamed: ndjson (one scan object per line, as `save` writes) is read in
/// chunks and never held whole; a saved DescribeScans response or a JSON array of scans is read up
/// to the 32 MiB response limit.
public struct ScanFileReader {
  public static let chunkSize = 1 << 20
  public static let maxDocumentBytes = 32 << 20

  public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// 1-based; 0 when the failure is not on a line.
    public var line: Int
    public var message: String

    public var description: String {
      line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)"
    }
  }

  private let path: String
  private let wanted: FieldSet
  /// Whose rows the file holds: what `save` wrote (scans, runs or findings), told by the first
  /// line's keys.
  public private(set) var resource: Resource = .scans
  private let handle: ReadableFile
  private var buffer: [UInt8] = []
  private var start = 0
  private var line = 0
  private var atEOF = false
  private var documentScans: [Scan]?
  private var documentIndex = 0
  /// `next()`'s current run of lines, decoded, and what ended it early.
  private var run: [Scan] = []
  private var runIndex = 0
  private var runFailure: (any Error)?

  public init(path: String, wanted: FieldSet = .all) throws {
    self.path = path
    self.wanted = wanted
    guard let handle = ReadableFile(path: path) else {
      throw Failure(path: path, line: 0, message: errno == ENOENT ? "no such file" : "cannot be read")
    }
    guard !handle.isFolder else { throw Failure(path: path, line: 0, message: "is a folder") }
    self.handle = handle
    try fill()
    resource = Self.sniff(buffer)
    if startsADocument() { try readDocument() }
  }

  /// The file is one JSON document (an array or a saved response), read whole: `nextLines()` has
  /// nothing to split, and `next()` gives its scans.
  public var isDocument: Bool { documentScans != nil }

  /// A run of whole lines of an ndjson file, decoded apart from the reading: `decode()` may run on
  /// any thread, so a long file is decoded on several cores while it is read.
  public struct Lines: Sendable {
    let bytes: [UInt8]
    let path: String
    let wanted: FieldSet
    /// The 1-based number of its first line in the file.
    let firstLine: Int
    let resource: Resource

    /// The scans of these lines, in order; when a line is bad, the scans before it and the failure
    /// (a `Failure` naming the line).
    public func decode() -> (scans: [Scan], failure: (any Error)?) {
      var scans: [Scan] = []
      var lineNumber = firstLine
      var start = 0
      return bytes.withUnsafeBufferPointer { all in
        while start < all.count {
          let end =
            memchr(all.baseAddress! + start, 0x0A, all.count - start).map {
              all.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self))
            } ?? all.count
          do {
            let line = UnsafeBufferPointer(rebasing: all[start..<end])
            if let scan = try ScanFileReader.parse(
              line, path: path, line: lineNumber, wanted: wanted, resource: resource)
            {
              scans.append(scan)
            }
          } catch {
            return (scans, error)
          }
          start = end + 1
          lineNumber += 1
        }
        return (scans, nil)
      }
    }
  }

  /// The next run of whole lines, about `chunkSize` bytes (more when one line is longer); nil at
  /// the end of the file, and for a document.
  public mutating func nextLines() throws -> Lines? {
    guard documentScans == nil else { return nil }
    while true {
      while !atEOF, buffer.count - start < Self.chunkSize { try fill() }
      guard start < buffer.count else { return nil }
      let end: Int
      if atEOF {
        end = buffer.count
      } else if let last = lastNewline() {
        end = last + 1
      } else {
        try fill()
        continue
      }
      let bytes = Array(buffer[start..<end])
      let lines = Lines(bytes: bytes, path: path, wanted: wanted, firstLine: line + 1, resource: resource)
      line += Self.newlines(in: bytes) + (bytes.last == 0x0A ? 0 : 1)
      start = end
      return lines
    }
  }

  /// The next scan, or nil at the end of the file: ndjson is read a run of lines at a time, as
  /// `nextLines()` gives them; a bad line throws after the scans before it.
  public mutating func next() throws -> Scan? {
    if let documentScans {
      guard documentIndex < documentScans.count else { return nil }
      documentIndex += 1
      return documentScans[documentIndex - 1]
    }
    while true {
      if runIndex < run.count {
        runIndex += 1
        return run[runIndex - 1]
      }
      if let runFailure { throw runFailure }
      guard let lines = try nextLines() else { return nil }
      (run, runFailure) = lines.decode()
      runIndex = 0
    }
  }

  private func lastNewline() -> Int? {
    guard start < buffer.count else { return nil }
    return buffer.withUnsafeBufferPointer { bytes in
      // Lines are short: the last newline is near the end.
      var index = bytes.count - 1
      while index >= start {
        if bytes[index] == 0x0A { return index }
        index -= 1
      }
      return nil
    }
  }

  private static func newlines(in bytes: [UInt8]) -> Int {
    bytes.withUnsafeBufferPointer { all in
      var count = 0
      var index = 0
      while index < all.count,
        let found = memchr(all.baseAddress! + index, 0x0A, all.count - index)
      {
        count += 1
        index = all.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
      }
      return count
    }
  }

  private mutating func fill() throws {
    if start > 0 {
      buffer.removeFirst(start)
      start = 0
    }
    guard buffer.count < Self.maxDocumentBytes else {
      throw Failure(path: path, line: line + 1, message: "a line longer than 32 MiB")
    }
    let chunk: [UInt8]
    do {
      chunk = try handle.read(upTo: Self.chunkSize)
    } catch {
      throw Failure(path: path, line: 0, message: "cannot be read (\(error.reason))")
    }
    if chunk.isEmpty { atEOF = true }
    buffer.append(contentsOf: chunk)
  }

  /// One line of ndjson: a scan, or nil for a blank line.
  static func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, path: String, line: Int, wanted: FieldSet, resource: Resource = .scans
  ) throws -> Scan? {
    var reader = JSONReader(bytes)
    if reader.isAtEnd { return nil }
    do {
      guard try reader.peekKind() == .object else {
        throw Failure(path: path, line: line, message: "expected a scan object (one JSON object per line)")
      }
      let scan = try Scan.decode(from: &reader, resource: resource, wanted: wanted)
      guard reader.isAtEnd else { throw reader.error("unexpected content after the object") }
      return scan
    } catch let error as JSONSyntaxError {
      throw Failure(path: path, line: line, message: "invalid JSON: \(error)")
    }
  }

  /// The resource whose rows the file's first line holds: findings have `Id` and `Severity`, runs
  /// `TaskId` and `JobStatus`; anything else is read as scans.
  public static func sniff(_ buffer: [UInt8]) -> Resource {
    buffer.withUnsafeBufferPointer { bytes in
      // The first object: the first line's, or an array's first element.
      var start = 0
      while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "[")].contains(bytes[start]) { start += 1 }
      let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
      var reader = JSONReader(UnsafeBufferPointer(rebasing: bytes[start..<end]))
      guard (try? reader.peekKind()) == .object, (try? reader.beginObject()) != nil else { return .scans }
      var keys = Set<String>()
      var first = true
      while (try? reader.nextMember(first: &first)) == true {
        guard let key = try? reader.readKey(), (try? reader.skipValue()) != nil else { break }
        keys.insert(key)
      }
      if keys.contains("Id"), keys.contains("Severity") { return .findings }
      if keys.contains("TaskId"), keys.contains("JobStatus") { return .sessions }
      return .scans
    }
  }

  /// Whose rows the file at `path` holds; scans when it cannot be read (the read says why).
  public static func resource(ofFileAt path: String) -> Resource {
    guard let handle = ReadableFile(path: path) else { return .scans }
    return sniff((try? handle.read(upTo: 1 << 16)) ?? [])
  }

  /// A file that starts with `[`, or whose first object is a response envelope, is a document.
  private func startsADocument() -> Bool {
    buffer.withUnsafeBufferPointer { bytes in
      var reader = JSONReader(bytes)
      if reader.isAtEnd { return false }
      switch try? reader.peekKind() {
      case .array: return true
      case .object:
        try? reader.beginObject()
        var first = true
        while (try? reader.nextMember(first: &first)) == true {
          guard let key = try? reader.readKey() else { return false }
          if ["list", "data", "requestid", "totalcount"].contains(key.lowercased()) { return true }
          if ScanField(apiName: key) != nil { return false }
          guard (try? reader.skipValue()) != nil else { return false }
        }
        return false
      default:
        return false
      }
    }
  }

  private mutating func readDocument() throws {
    while !atEOF {
      guard buffer.count <= Self.maxDocumentBytes else {
        throw Failure(path: path, line: 0, message: "a JSON document larger than 32 MiB (save listings as ndjson)")
      }
      let before = buffer.count
      try fill()
      if buffer.count == before { break }
    }
    let data = Data(buffer)
    buffer = []
    if data.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "[") {
      documentScans = try data.withUnsafeBytes { raw in
        var reader = JSONReader(raw.bindMemory(to: UInt8.self))
        do {
          var scans: [Scan] = []
          try reader.beginArray()
          var first = true
          while try reader.nextElement(first: &first) {
            scans.append(try Scan.decode(from: &reader, resource: resource, wanted: wanted))
          }
          return scans
        } catch let error as JSONSyntaxError {
          throw Failure(path: path, line: 0, message: "invalid JSON: \(error)")
        }
      }
      return
    }
    do {
      documentScans = try ResponseDecoder.page(from: data, format: .json, resource: resource, wanted: wanted).scans
    } catch let error as ScanAPIError {
      throw Failure(path: path, line: 0, message: error.description)
    }
  }
}
