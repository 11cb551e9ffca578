import QueryLanguage
import ScanAPI
import Testing

@testable import QueryEngine

struct PlannerTests {
  /// API parameters, then client stages, then expected requests.
  static func summary(_ text: String, settings: PlanSettings = PlanSettings()) throws -> String {
    let plan = try plan(text, settings: settings)
    var parameters: [String]
    switch plan.input {
    case .listing(let listings, let options):
      parameters =
        listings.flatMap { $0.request.parameters.map { "\($0.0)=\($0.1)" } } + ["PageSize=\(options.pageSize)"]
      if let limit = options.limit { parameters.append("limit=\(limit)") }
    case .totalCount(let listings, _):
      parameters = ["totalCount"] + listings.flatMap { $0.request.parameters.map { "\($0.0)=\($0.1)" } }
    case .file(let path, _):
      parameters = ["file=\(path)"]
    }
    return parameters.joined(separator: " ") + " | " + plan.clientStages.joined(separator: " | ") + " | "
      + plan.requests
  }

  @Test(arguments: [
    ("scans", "PageSize=100 |  | 1, then ⌈TotalCount/100⌉ − 1 more, up to 8 at a time"),
    (
      "scans where status = running and RunPercent > 50 | sort RunPercent desc | first 10",
      "StatusList.1=running PageSize=100 | sort RunPercent desc | first 10 | 1, then ⌈TotalCount/100⌉ − 1 more, up to 8 at a time"
    ),
    (
      "scans where status in (running, waiting) and type = vuln and trigger = interval and id = 42",
      "ScanId=42 ScanType=vuln StatusList.1=running StatusList.2=waiting TriggerType=interval PageSize=100 |  | 1, then ⌈TotalCount/100⌉ − 1 more, up to 8 at a time"
    ),
    (
      "scans where status = running | count",
      "totalCount CurrentPage=1 PageSize=1 StatusList.1=running |  | exactly 1 (PageSize=1; the answer's TotalCount is the count)"
    ),
    (
      "scans search example.cn | count",
      "totalCount CurrentPage=1 PageSize=1 Search=example.cn |  | exactly 1 (PageSize=1; the answer's TotalCount is the count)"
    ),
    (
      "scans | where status = waiting | count",
      "totalCount CurrentPage=1 PageSize=1 StatusList.1=waiting |  | exactly 1 (PageSize=1; the answer's TotalCount is the count)"
    ),
    (
      "scans where status = running or type = vuln | count",
      "PageSize=100 | count | 1, then ⌈TotalCount/100⌉ − 1 more, up to 8 at a time"
    ),
    (
      "scans where status = running | first 10",
      "StatusList.1=running PageSize=100 limit=10 | first 10 | 1 (first 10 fits one page)"
    ),
    ("scans | select ScanId | first 250", "PageSize=100 limit=250 | select ScanId | first 250 | at most 3 (first 250)"),
    (
      "scans where status = running and name ~ prod | first 10",
      "StatusList.1=running PageSize=100 | first 10 | 1, then ⌈TotalCount/100⌉ − 1 more, up to 8 at a time"
    ),
    (
      "scans | sort start | first 3",
      "PageSize=100 | sort start | first 3 | 1, then ⌈TotalCount/100⌉ − 1 more, up to 8 at a time"
    ),
    (
      "scans where status != running and not type = vuln",
      "PageSize=100 |  | 1, then ⌈TotalCount/100⌉ − 1 more, up to 8 at a time"
    ),
    (
      "scans where status = running and status = waiting",
      "StatusList.1=running PageSize=100 |  | 1, then ⌈TotalCount/100⌉ − 1 more, up to 8 at a time"
    ),
    (
      "scans | sort Name | where status = running",
      "PageSize=100 | sort Name | where status = running | 1, then ⌈TotalCount/100⌉ − 1 more, up to 8 at a time"
    ),
    (
      "load x.ndjson | where status = running | count",
      "file=x.ndjson | where status = running | count | none (reads x.ndjson)"
    ),
  ])
  func plans(_ text: String, _ expected: String) throws {
    #expect(try Self.summary(text) == expected)
  }

  @Test func settingsReachTheRequest() throws {
    var settings = PlanSettings()
    settings.lang = "en"
    settings.pageSize = 50
    settings.concurrency = 2
    #expect(
      try Self.summary("scans | first 120", settings: settings)
        == "Lang=en PageSize=50 limit=120 | first 120 | at most 3 (first 120)")
  }

  @Test func readsOnlyTheFieldsItNeeds() throws {
    let narrow = try bind(
      "load f | where status = running and RunPercent > 50 | sort RunPercent desc, ScanId | first 10 | select ScanId, RunPercent"
    )
    #expect(narrow.readFields == FieldSet([.scanId, .status, .runPercent]))
    #expect(try bind("load f | where status = running").readFields == .all)
    #expect(try bind("load f | group type").readFields == FieldSet([.scanId, .scanType]))
  }
}
