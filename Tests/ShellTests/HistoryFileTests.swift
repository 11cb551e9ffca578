import Foundation
import Testing

@testable import Shell

struct HistoryFileTests {
  static func temporaryPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("scansh-history-\(UUID().uuidString)/scansh/history")
      .path
  }

  /// Removes the folder `temporaryPath()` made, all of it.
  static func removeTemporary(_ path: String) {
    try? FileManager.default.removeItem(
      atPath: ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent)
  }

  @Test func defaultPaths() {
    #expect(
      HistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "/state", "HOME": "/home/a"]) == "/state/scansh/history")
    #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/a"]) == "/home/a/.local/state/scansh/history")
    #expect(
      HistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/a"])
        == "/home/a/.local/state/scansh/history")
  }

  @Test func addingCollapsesRepeatsAndFlattens() {
    var entries: [String] = []
    entries = HistoryFile.adding("scans | count", to: entries)
    entries = HistoryFile.adding("scans | count", to: entries)
    entries = HistoryFile.adding("scans where (status = running\n or status = waiting) \\\n | count", to: entries)
    entries = HistoryFile.adding("   ", to: entries)
    entries = HistoryFile.adding("scans | count", to: entries)
    #expect(
      entries == ["scans | count", "scans where (status = running or status = waiting) | count", "scans | count"])
  }

  @Test func capped() {
    var entries: [String] = []
    for index in 0..<(HistoryFile.capacity + 10) { entries = HistoryFile.adding("scans | first \(index)", to: entries) }
    #expect(entries.count == HistoryFile.capacity)
    #expect(entries.first == "scans | first 10")
  }

  @Test func savesPrivatelyAndAtomicallyAndReloads() throws {
    let path = Self.temporaryPath()
    let file = HistoryFile(path: path)
    defer { Self.removeTemporary(path) }
    #expect(file.load() == [])
    try file.save(["scans | count", "help"])
    #expect(file.load() == ["scans | count", "help"])
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let folder = try FileManager.default.attributesOfItem(atPath: (path as NSString).deletingLastPathComponent)
    #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    try file.save(["one"])
    #expect(file.load() == ["one"])
    // No temporary file is left beside it.
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent) == ["history"])
  }

  /// Two shells appending to one history file: each appends to the file as it is on disk, under a
  /// lock, so neither loses the other's lines.
  @Test func twoShellsAppendingLoseNoLine() throws {
    let path = Self.temporaryPath()
    defer { Self.removeTemporary(path) }
    let first = HistoryFile(path: path)
    let second = HistoryFile(path: path)
    try first.append("scans | count")
    try second.append("scans | first 1")
    try first.append("scans | group status")
    try second.append("help")
    #expect(first.load() == ["scans | count", "scans | first 1", "scans | group status", "help"])
    // And at once, from many threads.
    DispatchQueue.concurrentPerform(iterations: 40) { index in
      _ = try? HistoryFile(path: path).append("scans | first \(index + 10)")
    }
    #expect(Set(first.load()).count == 44)
  }

  /// Garbage, invalid UTF-8 and a 1 MB line are skipped and counted, never a crash.
  @Test func unreadableLinesAreSkipped() throws {
    let path = Self.temporaryPath()
    defer { Self.removeTemporary(path) }
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    var data = Data("scans | count\n".utf8)
    data += Data([0xFF, 0xFE, 0x41, 0x0A])
    data += Data("\u{01}\u{02}binary\u{1B}[0m\n".utf8)
    data += Data(repeating: 0x61, count: 1 << 20) + Data([0x0A])
    data += Data("help\n".utf8)
    try data.write(to: URL(fileURLWithPath: path))
    let read = HistoryFile(path: path).read()
    #expect(read.entries == ["scans | count", "help"])
    #expect(read.skipped == 3)
  }

  @Test func anUnwritableHistoryThrowsAndLeavesNothing() throws {
    // A path whose parent is a file: nothing can be created there, whoever runs the test.
    let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-blocker-\(UUID().uuidString)")
    try Data("x".utf8).write(to: blocker)
    defer { try? FileManager.default.removeItem(at: blocker) }
    #expect(throws: (any Error).self) { try HistoryFile(path: blocker.path + "/scansh/history").append("scans") }
  }
}
