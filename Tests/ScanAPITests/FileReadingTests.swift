import Foundation
import Testing
import Vocabulary

@testable import ScanAPI

/// Reading ndjson in runs of lines (decoded apart from the reading) and the byte-level fast paths
/// under it: key matching and string skipping eight bytes at a time.
struct FileReadingTests {
  static func temporaryFile(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-file-\(UUID().uuidString).ndjson")
      .path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// Every run of lines, decoded in order, and the first failure with the scans before it.
  static func readInRuns(_ path: String, wanted: FieldSet = .all) throws -> (
    scans: [Scan], runs: Int, failure: ScanFileReader.Failure?
  ) {
    var reader = try ScanFileReader(path: path, wanted: wanted)
    var scans: [Scan] = []
    var runs = 0
    while let lines = try reader.nextLines() {
      runs += 1
      let decoded = lines.decode()
      scans += decoded.scans
      if let failure = decoded.failure { return (scans, runs, try #require(failure as? ScanFileReader.Failure)) }
    }
    return (scans, runs, nil)
  }

  @Test func runsOfLinesGiveEveryScanInOrderAcrossChunks() throws {
    // About 3.5 chunks, blank lines between, and a last line without a newline.
    var text = ""
    let count = 40_000
    for index in 0..<count {
      text += "{\"ScanId\":\"\(index)\",\"Name\":\"scan \(index) \(String(repeating: "x", count: index % 50))\"}\n"
      if index % 997 == 0 { text += "\n" }
    }
    text += "{\"ScanId\":\"last\"}"
    let path = try Self.temporaryFile(text)
    defer { try? FileManager.default.removeItem(atPath: path) }

    let result = try Self.readInRuns(path)
    #expect(result.failure == nil)
    #expect(result.runs >= 3)
    #expect(result.scans.count == count + 1)
    #expect(result.scans.map { $0.scanId ?? "" } == (0..<count).map(String.init) + ["last"])
  }

  @Test func aBadLineIsNamedByItsLineInTheFileWhateverItsRun() throws {
    var lines = (1...30_000).map { "{\"ScanId\":\"\($0)\",\"Name\":\"\(String(repeating: "n", count: 40))\"}" }
    lines[24_999] = "{\"ScanId\":\"25000\",\"Name\":oops}"
    let path = try Self.temporaryFile(lines.joined(separator: "\n") + "\n")
    defer { try? FileManager.default.removeItem(atPath: path) }

    let result = try Self.readInRuns(path)
    #expect(result.runs >= 2)
    #expect(result.scans.count == 24_999)
    #expect(result.failure?.description == "\(path):25000: invalid JSON: unexpected 'o' at byte 25")
  }

  @Test func aDocumentIsNotSplitIntoRuns() throws {
    let path = try Self.temporaryFile("[{\"ScanId\":\"1\"},\n{\"ScanId\":\"2\"}]\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    var reader = try ScanFileReader(path: path)
    #expect(reader.isDocument)
    #expect(try reader.nextLines() == nil)
    #expect(try reader.next()?.scanId == "1")
    #expect(try reader.next()?.scanId == "2")
  }

  /// Strings of every length up to 40 with an escape or a multi-byte character at every place,
  /// skipped (their field not wanted) and read: the field after them must still be found.
  @Test func stringsAreSkippedAndReadWhereverTheirEscapesFall() throws {
    for length in 0...40 {
      for place in 0...length {
        for insert in ["\\\"", "\\\\", "\\u00e9", "é", "\""] where insert != "\"" || place == length {
          let body =
            String(repeating: "a", count: place) + (insert == "\"" ? "" : insert)
            + String(repeating: "b", count: length - place)
          let expected = try #require(
            JSONSerialization.jsonObject(with: Data("\"\(body)\"".utf8), options: .fragmentsAllowed) as? String)
          let line = "{\"Name\":\"\(body)\",\"ScanId\":\"id\",\"FlowName\":\"\(body)\"}"
          let wanted = FieldSet([.scanId])
          let skipped = try Self.decodeOne(line, wanted: wanted)
          #expect(skipped.scanId == "id", "skipping \(line)")
          #expect(skipped[.name] == nil)
          let read = try Self.decodeOne(line, wanted: .all)
          #expect(read[.name] == .string(expected), "reading \(line)")
          #expect(read[.flowName] == .string(expected))
        }
      }
    }
  }

  /// Every wire name is matched from its bytes, whatever its length; other spellings still match,
  /// and an unknown key or an escaped one is handled.
  @Test func everyWireNameIsMatchedFromItsBytes() throws {
    for field in ScanField.allCases {
      let bytes = Array(field.apiName.utf8)
      let found = bytes.withUnsafeBufferPointer { ScanField.lookup($0) }
      #expect(found == field, "\(field.apiName)")
      let lowercased = Array(field.apiName.lowercased().utf8)
      #expect(lowercased.withUnsafeBufferPointer { ScanField.lookup($0) } == field)
    }
    #expect(Array("ScanIdX".utf8).withUnsafeBufferPointer { ScanField.lookup($0) } == nil)
    #expect(Array("".utf8).withUnsafeBufferPointer { ScanField.lookup($0) } == nil)
    #expect(Array(String(repeating: "k", count: 40).utf8).withUnsafeBufferPointer { ScanField.lookup($0) } == nil)
    #expect(try Self.decodeOne("{\"Scan\\u0049d\":\"7\"}", wanted: .all).scanId == "7")
  }

  static func decodeOne(_ line: String, wanted: FieldSet) throws -> Scan {
    var bytes = Array(line.utf8)
    return try bytes.withUnsafeMutableBufferPointer { buffer in
      var reader = JSONReader(UnsafeBufferPointer(buffer))
      return try Scan.decode(from: &reader, wanted: wanted)
    }
  }
}
