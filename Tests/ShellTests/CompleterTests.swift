import ScanAPI
import Testing

@testable import Shell

struct CompleterTests {
  static let known: [ScanField: [String]] = [
    .scanId: ["2018071010384940572", "2018071010171127450", "2026110209000012345"],
    .name: ["test_0710-3", "官网漏洞扫描", "prod shop weekly"],
    .targets: ["shop.example.com", "203.0.113.9"],
    // Seen in a result though the reference does not list it.
    .status: ["running", "paused"],
  ]

  /// `‸` marks the cursor; the result is what Tab inserts (after removing `replacing` characters),
  /// then the candidates.
  static func complete(_ marked: String) -> String {
    let range = marked.range(of: "‸")!
    let cursor = marked.utf8.distance(from: marked.startIndex, to: range.lowerBound)
    let line = marked.replacingCharacters(in: range, with: "")
    let completion = Completer.complete(line, cursor: cursor, values: { known[$0] ?? [] })
    return "-\(completion.replacing) +\(completion.insertion.map { "'\($0)'" } ?? "nil") \(completion.candidates)"
  }

  @Test(arguments: [
    ("sca‸", "-3 +'scans ' [\"scans\"]"),
    (
      "‸",
      "-0 +nil [\"scans\", \"sessions\", \"findings\", \"load\", \"help\", \"set\", \"show\", \"explain\", \"history\", \"source\", \"use\", \"exit\", \"quit\", \"param\", \"report\"]"
    ),
    ("he‸", "-2 +'help ' [\"help\"]"),
    (
      "scans |‸",
      "-0 +nil [\"sessions\", \"findings\", \"where\", \"sort\", \"select\", \"first\", \"limit\", \"count\", \"group\", \"distinct\", \"diff\", \"expect\", \"watch\", \"format\", \"save\", \"exec\", \"post\", \"notify\", \"details\", \"report\"]"
    ),
    ("scans | so‸", "-2 +'sort ' [\"sort\"]"),
    ("scans | sort RunPer‸", "-6 +'RunPercent ' [\"RunPercent\"]"),
    ("scans | sort RunPercent ‸", "-0 +nil [\"asc\", \"desc\", \"|\"]"),
    ("scans | sort progress de‸", "-2 +'desc ' [\"desc\"]"),
    ("scans where sta‸", "-3 +nil [\"status\", \"start\", \"StartDate\"]"),
    ("scans where Sta‸", "-3 +nil [\"Status\", \"start\", \"StartDate\"]"),
    ("scans where status=runn‸", "-4 +'running ' [\"running\"]"),
    (
      "scans where status = ‸",
      "-0 +nil [\"waiting\", \"finished\", \"running\", \"aborted\", \"invalid\", \"disabled\", \"paused\"]"
    ),
    ("scans where type = v‸", "-1 +'vuln ' [\"vuln\"]"),
    ("scans where status in (running, ab‸", "-2 +'aborted ' [\"aborted\"]"),
    ("scans where id = 2018‸", "-4 +'2018071010' [\"2018071010384940572\", \"2018071010171127450\"]"),
    ("scans | where name = 官‸", "-1 +'官网漏洞扫描 ' [\"官网漏洞扫描\"]"),
    ("scans | where name = prod‸", "-4 +''prod shop weekly' ' [\"prod shop weekly\"]"),
    ("scans | where name = 'prod‸", "-5 +''prod shop weekly' ' [\"prod shop weekly\"]"),
    ("scans | where targets ~ sh‸", "-2 +'shop.example.com ' [\"shop.example.com\"]"),
    ("scans | where status = running ‸", "-0 +nil [\"and\", \"or\", \"|\"]"),
    ("scans where status = running ‸", "-0 +nil [\"and\", \"or\", \"|\"]"),
    (
      "scans where status = running |‸",
      "-0 +nil [\"sessions\", \"findings\", \"where\", \"sort\", \"select\", \"first\", \"limit\", \"count\", \"group\", \"distinct\", \"diff\", \"expect\", \"watch\", \"format\", \"save\", \"exec\", \"post\", \"notify\", \"details\", \"report\"]"
    ),
    ("scans | count ‸", "-0 +'| ' [\"|\"]"),
    ("scans | where status = running and RunP‸", "-4 +'RunPercent ' [\"RunPercent\"]"),
    (
      "scans | where progress ‸",
      "-0 +nil [\"=\", \"!=\", \"<\", \"<=\", \">\", \">=\", \"~\", \"!~\", \"in\", \"not\"]"
    ),
    ("scans | select ScanId, Na‸", "-2 +'Name ' [\"Name\"]"),
    ("scans | group tr‸", "-2 +'trigger' [\"trigger\", \"TriggerType\"]"),
    ("scans | format n‸", "-1 +'ndjson ' [\"ndjson\"]"),
    ("scans | expect e‸", "-1 +'empty ' [\"empty\"]"),
    ("scans | expect none status = r‸", "-1 +'running ' [\"running\"]"),
    ("scans | watch 30s ‸", "-0 +nil [\"until\", \"for\", \"|\"]"),
    ("scans | watch 30s until e‸", "-1 +nil [\"empty\", \"end\", \"EndDate\"]"),
    (
      "set ‸",
      "-0 +nil [\"pagesize\", \"concurrency\", \"format\", \"lang\", \"timezone\", \"color\", \"sourceip\", \"pager\", \"notify\", \"exectimeout\"]"
    ),
    ("set timezone u‸", "-1 +'utc ' [\"utc\"]"),
    ("show s‸", "-1 +'settings ' [\"settings\"]"),
    ("help wh‸", "-2 +'where ' [\"where\"]"),
    ("explain scans | cou‸", "-3 +'count ' [\"count\"]"),
    ("scans | count; sc‸", "-2 +'scans ' [\"scans\"]"),
    ("scans | bogus ‸", "-0 +nil []"),
    ("scans | sort zzz‸", "-3 +nil []"),
    ("scans wh‸ | count", "-2 +'where ' [\"where\"]"),
    ("scans where status = p‸", "-1 +'paused ' [\"paused\"]"),
    ("scans | di‸", "-2 +nil [\"distinct\", \"diff\"]"),
    ("scans | group type, trigger ‸", "-0 +nil [\"by\", \"with\", \"|\"]"),
    ("scans | group start by w‸", "-1 +'week ' [\"week\"]"),
    ("scans | group type with a‸", "-1 +'avg ' [\"avg\"]"),
    ("scans | group type with avg prog‸", "-4 +'progress ' [\"progress\"]"),
    ("scans | select *‸", "-1 +'* ' [\"*\"]"),
    ("scans | distinct Sc‸", "-2 +'Scan' [\"ScanId\", \"ScanType\", \"ScanAll\"]"),
    ("set pager o‸", "-1 +nil [\"on\", \"off\"]"),
    ("findings where sev‸", "-3 +'Severity ' [\"Severity\"]"),
    ("findings where severity >= ‸", "-0 +nil [\"info\", \"low\", \"moderate\", \"important\"]"),
    ("scans | findings | where status = un‸", "-2 +'unhandled ' [\"unhandled\"]"),
    ("sessions where status = ‸", "-0 +nil [\"waiting\", \"finished\", \"running\", \"aborted\"]"),
    ("findings | sort se‸", "-2 +nil [\"Severity\", \"seen\"]"),
  ])
  func completes(_ marked: String, _ expected: String) {
    #expect(Self.complete(marked) == expected)
  }

  @Test func quotesValuesThatNeedIt() {
    #expect(Completer.word("a b") == "'a b'")
    #expect(Completer.word("it's") == "'it\\'s'")
    #expect(Completer.word("shop.example.com") == "shop.example.com")
  }

  @Test func listsCandidatesInColumns() {
    #expect(CandidateListing.render(["status", "start", "StartDate"], width: 30) == "\nstatus     start\nStartDate\n")
    // Wide characters take two columns each, so the listing stays aligned under CJK names.
    #expect(CandidateListing.render(["官网漏洞", "abcde", "x"], width: 80) == "\n官网漏洞  abcde     x\n")
  }
}
