import Foundation
import Testing

@testable import Shell

struct HistoryFileTests {
  static func temporaryPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("scansh-history-\(UUID().uuidString)/scansh/history")
      .path
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
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
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
}
