import Foundation

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
  private let handle: FileHandle
  private var buffer: [UInt8] = []
  private var start = 0
  private var line = 0
  private var atEOF = false
  private var documentScans: [Scan]?
  private var documentIndex = 0

  public init(path: String, wanted: FieldSet = .all) throws {
    self.path = path
    self.wanted = wanted
    guard let handle = FileHandle(forReadingAtPath: path) else {
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      throw Failure(
        path: path, line: 0,
        message: exists ? (isDirectory.boolValue ? "is a folder" : "cannot be read") : "no such file")
    }
    self.handle = handle
    try fill()
    if try isDocument() { try readDocument() }
  }

  /// The next scan, or nil at the end of the file.
  public mutating func next() throws -> Scan? {
    if let documentScans {
      guard documentIndex < documentScans.count else { return nil }
      documentIndex += 1
      return documentScans[documentIndex - 1]
    }
    while true {
      if let newline = nextNewline() {
        line += 1
        let lineStart = start
        start = newline + 1
        if let scan = try parseLine(lineStart..<newline) { return scan }
        continue
      }
      if atEOF {
        guard start < buffer.count else { return nil }
        line += 1
        let lineStart = start
        start = buffer.count
        if let scan = try parseLine(lineStart..<buffer.count) { return scan }
        return nil
      }
      try fill()
    }
  }

  private func nextNewline() -> Int? {
    guard start < buffer.count else { return nil }
    return buffer.withUnsafeBufferPointer { bytes in
      memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start).map {
        bytes.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self))
      }
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
    let chunk: Data
    do {
      chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
    } catch {
      throw Failure(path: path, line: 0, message: "cannot be read (\(error.localizedDescription))")
    }
    if chunk.isEmpty { atEOF = true }
    buffer.append(contentsOf: chunk)
  }

  private func parseLine(_ range: Range<Int>) throws -> Scan? {
    try buffer.withUnsafeBufferPointer { all in
      let bytes = UnsafeBufferPointer(rebasing: all[range])
      var reader = JSONReader(bytes)
      if reader.isAtEnd { return nil }
      do {
        guard try reader.peekKind() == .object else {
          throw Failure(path: path, line: line, message: "expected a scan object (one JSON object per line)")
        }
        let scan = try Scan.decode(from: &reader, wanted: wanted)
        guard reader.isAtEnd else { throw reader.error("unexpected content after the object") }
        return scan
      } catch let error as JSONSyntaxError {
        throw Failure(path: path, line: line, message: "invalid JSON: \(error)")
      }
    }
  }

  /// A file that starts with `[`, or whose first object is a response envelope, is a document.
  private func isDocument() throws -> Bool {
    try buffer.withUnsafeBufferPointer { bytes in
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
          while try reader.nextElement(first: &first) { scans.append(try Scan.decode(from: &reader, wanted: wanted)) }
          return scans
        } catch let error as JSONSyntaxError {
          throw Failure(path: path, line: 0, message: "invalid JSON: \(error)")
        }
      }
      return
    }
    do {
      documentScans = try ResponseDecoder.page(from: data, format: .json, wanted: wanted).scans
    } catch let error as ScanAPIError {
      throw Failure(path: path, line: 0, message: error.description)
    }
  }
}
