import ScanAPI
import Testing
import Vocabulary

@testable import Formatters

struct FormatterTests {
  static let scans: [Row] = [
    Scan([
      .scanId: .string("2018071010384940572"), .name: .string("test_0710-3"), .status: .string("finished"),
      .scanType: .string("vuln"), .runPercent: .number(100), .startDate: .number(1_531_190_450_000),
      .targets: .list(["demo.example.com", "203.0.113.9"]),
    ]).row,
    Scan([
      .scanId: .string("2026110209000012345"), .name: .string("官网漏洞扫描, \"q\""), .status: .string("running"),
      .scanType: .string("vuln"), .runPercent: .number(42.5), .startDate: .number(1_793_610_000_000),
      .targets: .list(["shop.example.cn"]),
    ]).row,
  ]

  static func context(width: Int? = nil, color: Bool = false) -> OutputContext {
    OutputContext(columns: Column.scanColumns, isScans: true, width: width, color: color, utc: true)
  }

  @Test func table() {
    #expect(
      Formatting.render(Self.scans, as: .table, Self.context()) == """
        ScanId               Name               Status    ScanType  RunPercent  StartDate          Targets
        2018071010384940572  test_0710-3        finished  vuln            100%  2018-07-10 02:40Z  demo.example.com, 203.0.113.9
        2026110209000012345  官网漏洞扫描, "q"  running   vuln           42.5%  2026-11-02 09:00Z  shop.example.cn
        (2 rows)

        """)
  }

  /// `group` on a terminal: a bar scaled to the largest count, in eighths of a cell.
  @Test func groupTablesHaveABarOnATerminal() {
    let columns = [Column(name: "Status", kind: .string), Column(name: "count", kind: .number)]
    let rows = [("finished", 24.0), ("aborted", 6), ("invalid", 1), ("waiting", 0)].map {
      Row(values: [.string($0.0), .number($0.1)])
    }
    var context = OutputContext(columns: columns, isScans: false, width: 80)
    context.barColumn = 1
    #expect(
      Formatting.render(rows, as: .table, context) == """
        Status    count
        finished     24  ████████████████████████
        aborted       6  ██████
        invalid       1  █
        waiting       0
        (4 rows)

        """)
    #expect(TableFormatter.bar(1, of: 3, width: 4) == "█▍")
    #expect(TableFormatter.bar(1, of: 1000, width: 4) == "▏")
    // Not on a terminal, not in other formats: the same rows without a bar.
    context.width = nil
    context.barColumn = nil
    #expect(
      Formatting.render(rows, as: .csv, context)
        == "Status,count\r\nfinished,24\r\naborted,6\r\ninvalid,1\r\nwaiting,0\r\n")
  }

  @Test func tableFitsTheTerminal() {
    let text = Formatting.render(Self.scans, as: .table, Self.context(width: 60))
    #expect(
      text == """
        ScanId               Name               Status    RunPercent
        2018071010384940572  test_0710-3        finished        100%
        2026110209000012345  官网漏洞扫描, "q"  running        42.5%
        (2 rows)

        """)
    #expect(text.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 60 })
  }

  @Test func tableColoursStatus() {
    let text = Formatting.render([Self.scans[1]], as: .table, Self.context(color: true))
    #expect(text.contains("\u{1B}[36mrunning\u{1B}[0m"))
    #expect(text.hasPrefix("\u{1B}[1mScanId"))
  }

  @Test func absurdTimesPrintAsTheyCame() {
    #expect(CellText.time(milliseconds: 1e300, utc: true) == "1e+300")
    #expect(CellText.time(milliseconds: .infinity, utc: true) == "inf")
    #expect(CellText.time(milliseconds: 1_531_190_450_000, utc: true) == "2018-07-10 02:40Z")
  }

  @Test func emptyTable() {
    #expect(
      Formatting.render([], as: .table, Self.context())
        == "ScanId  Name  Status  ScanType  RunPercent  StartDate  Targets\n(no rows)\n")
  }

  @Test func json() {
    let columns = [Column(name: "ScanId", kind: .string), Column(name: "RunPercent", kind: .number)]
    let rows = [Row(values: [.string("1"), .number(42.5)]), Row(values: [.string("2"), nil])]
    let context = OutputContext(columns: columns, isScans: false)
    #expect(
      Formatting.render(rows, as: .json, context)
        == "[\n{\"ScanId\":\"1\",\"RunPercent\":42.5},\n{\"ScanId\":\"2\"}\n]\n")
    #expect(Formatting.render([], as: .json, context) == "[]\n")
    #expect(
      Formatting.render(rows, as: .ndjson, context) == "{\"ScanId\":\"1\",\"RunPercent\":42.5}\n{\"ScanId\":\"2\"}\n")
  }

  /// Rows whose text a stream made ahead (`rowText`) print exactly as rows the formatter makes.
  @Test(arguments: [OutputFormat.json, .ndjson, .csv, .tsv])
  func rowsMadeAheadPrintTheSame(_ format: OutputFormat) throws {
    var formatter = Formatting.make(format, Self.context())
    let make = try #require(formatter.rowText)
    // The first row made by the formatter, as rows are before a stream is asked to make them.
    var text = formatter.format(Self.scans[0]) ?? ""
    for row in Self.scans.dropFirst() + Self.scans { text += formatter.format(row, text: make(row)) ?? "" }
    text += formatter.finish()
    #expect(text == Formatting.render(Self.scans + Self.scans, as: format, Self.context()))
  }

  @Test func aTableMakesNoRowAhead() {
    #expect(Formatting.make(.table, Self.context()).rowText == nil)
  }

  @Test func ndjsonOfScansKeepsRawValues() {
    #expect(
      Formatting.render([Self.scans[0]], as: .ndjson, Self.context())
        == #"{"ScanId":"2018071010384940572","Name":"test_0710-3","Status":"finished","ScanType":"vuln","RunPercent":100,"StartDate":1531190450000,"Targets":["demo.example.com","203.0.113.9"]}"#
        + "\n")
  }

  @Test func csvFollowsRFC4180() {
    let columns = [
      Column(name: "Name", kind: .string), Column(name: "Targets", kind: .list),
      Column(name: "RunPercent", kind: .number),
    ]
    let rows = [
      Row(values: [.string("a, \"b\""), .list(["x", "y"]), .number(5)]),
      Row(values: [.string("line\nbreak"), nil, .number(1.5)]),
    ]
    #expect(
      Formatting.render(rows, as: .csv, OutputContext(columns: columns, isScans: false))
        == "Name,Targets,RunPercent\r\n\"a, \"\"b\"\"\",x;y,5\r\n\"line\nbreak\",,1.5\r\n")
    #expect(
      Formatting.render([], as: .csv, OutputContext(columns: columns, isScans: false)) == "Name,Targets,RunPercent\r\n")
  }

  @Test func tsvEscapes() {
    let columns = [Column(name: "Name", kind: .string), Column(name: "Targets", kind: .list)]
    let rows = [Row(values: [.string("tab\there\\"), .list(["x", "y"])])]
    #expect(
      Formatting.render(rows, as: .tsv, OutputContext(columns: columns, isScans: false))
        == "Name\tTargets\ntab\\there\\\\\tx;y\n")
  }

  @Test(arguments: [
    (OutputFormat.table, "7\n"), (.csv, "7\n"), (.tsv, "7\n"), (.json, "{\"count\":7}\n"), (.ndjson, "{\"count\":7}\n"),
  ])
  func count(_ format: OutputFormat, _ expected: String) {
    let context = OutputContext(columns: [Column(name: "count", kind: .number)], isScans: false, isCount: true)
    #expect(Formatting.render([Row(values: [.number(7)])], as: format, context) == expected)
  }

  @Test func groupTable() {
    let context = OutputContext(
      columns: [Column(name: "Status", kind: .string), Column(name: "count", kind: .number)], isScans: false)
    let rows = [Row(values: [.string("finished"), .number(120)]), Row(values: [nil, .number(3)])]
    #expect(
      Formatting.render(rows, as: .table, context) == "Status    count\nfinished    120\n              3\n(2 rows)\n")
  }

  @Test func aSingleWideRowPrintsAsAnExpandedRecordOnATerminal() {
    let columns = [
      Column(name: "Name", kind: .string), Column(name: "Severity", kind: .coded(Resource.severities)),
      Column(name: "Poc", kind: .string),
    ]
    let row = Row(values: [
      .string("SQL injection"), .number(3),
      .string("GET /item?id=1' AND '1'='1 HTTP/1.1\nHost: shop.example.com\n\n<p>The response confirms the issue.</p>"),
    ])
    let narrow = OutputContext(columns: columns, isScans: false, width: 40)
    #expect(
      Formatting.render([row], as: .table, narrow) == """
        -[ RECORD 1 ]---------------------------
        Name     | SQL injection
        Severity | important
        Poc      | GET /item?id=1' AND '1'='1 HTTP/1.1
                 | Host: shop.example.com
                 | 
                 | <p>The response confirms the issue.</p>
        (1 row)

        """)
    // Not on a terminal, or with a second row, it stays a table.
    let piped = OutputContext(columns: columns, isScans: false)
    #expect(Formatting.render([row], as: .table, piped).hasPrefix("Name           Severity   Poc\n"))
    #expect(!Formatting.render([row, row], as: .table, narrow).contains("RECORD"))
  }

  @Test func severityIsNamedAndColouredInTablesAndRawElsewhere() {
    let columns = Array(Resource.findings.columns.prefix(3))
    let row = Row(values: [.string("7"), .string("SQL injection"), .number(3)])
    var context = OutputContext(columns: columns, isScans: false, width: 80, color: true)
    #expect(Formatting.render([row], as: .table, context).contains("\u{1B}[1;31mimportant\u{1B}[0m"))
    context.color = false
    #expect(Formatting.render([row], as: .csv, context) == "Id,Name,Severity\r\n7,SQL injection,3\r\n")
  }

  @Test func markdownTablesKeepHostileCellsInTheirCell() {
    let columns = [
      Column(name: "Name", kind: .string), Column(name: "RunPercent", kind: .number, roles: .progress),
      Column(name: "Targets", kind: .list),
    ]
    let rows = [
      Row(values: [.string("a | b\nc <script>alert(1)</script> & \\|"), .number(42.5), .list(["x.example", "y"])]),
      Row(values: [nil, .number(100), .list([])]),
    ]
    let context = OutputContext(columns: columns, isScans: false, utc: true)
    #expect(
      Formatting.render(rows, as: .markdown, context) == """
        | Name | RunPercent | Targets |
        | --- | ---: | --- |
        | a \\| b<br>c &lt;script&gt;alert(1)&lt;/script&gt; &amp; \\\\\\| | 42.5% | x.example, y |
        |  | 100% |  |

        """)
    #expect(Formatting.render([], as: .markdown, context) == "| Name | RunPercent | Targets |\n| --- | ---: | --- |\n")
  }
}
