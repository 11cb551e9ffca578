import ScanAPI
import Testing
import Vocabulary

@testable import Shell

/// What a result leaves behind for completion and for the binder's view of undocumented values.
struct KnownValuesTests {
  static func row(id: String, status: String, name: String) -> Row {
    var scan = Scan()
    scan[.scanId] = .string(id)
    scan[.status] = .string(status)
    scan[.name] = .string(name)
    scan[.targets] = .list(["a.example.com", "b.example.com"])
    return scan.row
  }

  @Test func scriptsRecordEnumValuesOnlyAndTheShellEverything() {
    let known = KnownValues()
    var script = known.recorder(columns: Column.scanColumns, everything: false)
    for index in 0..<3 {
      script.record(Self.row(id: "\(index)", status: index == 2 ? "paused" : "running", name: "n\(index)"))
    }
    #expect(known.values(for: .status) == ["running", "paused"])
    #expect(known.values(for: .scanId).isEmpty)
    #expect(known.values(for: .targets).isEmpty)

    var shell = known.recorder(columns: Column.scanColumns, everything: true)
    shell.record(Self.row(id: "7", status: "finished", name: "weekly"))
    #expect(known.values(for: .scanId) == ["7"])
    #expect(known.values(for: .name) == ["weekly"])
    #expect(known.values(for: .targets) == ["a.example.com", "b.example.com"])
    #expect(known.values(for: .status) == ["running", "paused", "finished"])
  }

  @Test func aSelectedResultIsRecordedByItsOwnColumns() {
    let known = KnownValues()
    let columns = [ScanField.status.column, ScanField.scanId.column]
    var recorder = known.recorder(columns: columns, everything: true)
    recorder.record(Row(values: [.string("aborted"), .string("42")]))
    #expect(known.values(for: .status) == ["aborted"])
    #expect(known.values(for: .scanId) == ["42"])
  }
}
