extension LanguageReference {
  /// `empty | count OP N | all EXPR | any EXPR | none EXPR`
  static var checkSignature: String {
    CheckForm.allCases.map { form in
      switch form {
      case .empty: "empty"
      case .count: "count OP N"
      case .all, .any, .none: "\(form.rawValue) EXPR"
      }
    }.joined(separator: " | ")
  }

  public static let entries: [LanguageEntry] = [
    LanguageEntry(
      .scans, kind: .source, signature: "scans [search TEXT] [where EXPR]",
      summary: "List scan tasks from DescribeScans, filtered on the server where it can.",
      examples: [
        .init(
          "scans | first 3 | select ScanId, Name, Status",
          prints: """
            ScanId               Name              Status
            2026110202573680202  dev-cdn-full      finished
            2026110123262905847  uat-admin-weekly  finished
            2026110109423552666  test_1101-8       invalid
            (3 rows)

            """),
        .init("scans where status = running | count", prints: "19\n"),
        .init("scans search example.com where type = vuln | count", prints: "53\n"),
      ]),
    LanguageEntry(
      .sessions, kind: .source, signature: "sessions [search TEXT] [where EXPR]  |  … | sessions",
      summary:
        "List the runs of scan tasks from DescribeScanSessions; after `|`, the runs of each scan task before it.",
      examples: [
        .init(
          "sessions | first 3 | select TaskId, Name, JobStatus",
          prints: """
            TaskId         Name                 JobStatus
            1145009767497  équipe-sécurité-api  running
            9690437177964  staging-cdn-weekly   running
            9725967946532  test_0805-4          running
            (3 rows)

            """),
        .init("sessions where status = running | count", prints: "19\n"),
        .init(
          "scans where name ~ prod | sessions | group status",
          prints: """
            JobStatus  count
            finished      27
            waiting        5
            aborted        4
            (3 rows)

            """),
      ]),
    LanguageEntry(
      .findings, kind: .source, signature: "findings [search TEXT] [where EXPR]  |  … | findings",
      summary:
        "List vulnerabilities from DescribeAllVulnerabilities; after `|`, what each scan task or run before it "
        + "found. `severity` is ordered: info < low < moderate < important.",
      examples: [
        .init("findings where severity >= important and status = unhandled | count", prints: "38\n"),
        .init(
          "findings | group severity",
          prints: """
            Severity   count
            info         361
            low          251
            moderate     127
            important     54
            (4 rows)

            """),
        .init(
          "scans where status = running | findings | first 3 | select ScanName, Name, Severity",
          prints: """
            ScanName             Name                                                 Severity
            équipe-sécurité-api  TLS 1.0 enabled                                      low
            équipe-sécurité-api  Components with known vulnerabilities: jQuery 1.8.3  moderate
            équipe-sécurité-api  TLS 1.0 enabled                                      low
            (3 rows)

            """),
      ]),
    LanguageEntry(
      .load, kind: .source, signature: "load PATH",
      summary: "Read scans from an ndjson file (as `save` writes) or a saved DescribeScans response.",
      examples: [
        .init(
          "load running.ndjson | sort RunPercent desc | first 3 | select ScanId, RunPercent",
          prints: """
            ScanId               RunPercent
            2026100806291588262       85.2%
            2026080604513741352       84.6%
            2026100610071140089       83.8%
            (3 rows)

            """)
      ]),
    LanguageEntry(
      .where, kind: .stage, signature: "where EXPR",
      summary: "Keep the rows for which EXPR holds.",
      examples: [
        .init("scans | where RunPercent > 50 and status = running | count", prints: "9\n"),
        .init("scans | where name ~ prod or targets ~ example.cn | count", prints: "69\n"),
        .init("scans | where status in (aborted, invalid) and start > now-30d | count", prints: "20\n"),
      ]),
    LanguageEntry(
      .sort, kind: .stage, signature: "sort FIELD [asc|desc] [, FIELD [asc|desc]]…",
      summary: "Order rows by one or more fields (stable; missing values last).",
      examples: [
        .init(
          "scans | sort RunPercent desc, ScanId | first 3 | select ScanId, RunPercent",
          prints: """
            ScanId               RunPercent
            2026080418091459008        100%
            2026080418514760421        100%
            2026080608344540722        100%
            (3 rows)

            """),
        .init(
          "scans | sort start desc | first 2 | select Name, StartDate",
          prints: """
            Name                 StartDate
            équipe-sécurité-api  2026-11-02 08:54Z
            staging-cdn-weekly   2026-11-02 08:49Z
            (2 rows)

            """),
      ]),
    LanguageEntry(
      .select, kind: .stage, signature: "select FIELD [, FIELD]… | select *",
      summary: "Keep only these fields, in this order (`*`: every field, in the catalog's order).",
      examples: [
        .init(
          "scans | select ScanId, Name, RunPercent | first 3",
          prints: """
            ScanId               Name              RunPercent
            2026110202573680202  dev-cdn-full            100%
            2026110123262905847  uat-admin-weekly        100%
            2026110109423552666  test_1101-8               0%
            (3 rows)

            """)
      ]),
    LanguageEntry(
      .first, aliases: ["limit"], kind: .stage, signature: "first N",
      summary: "Keep the first N rows (alias: limit).",
      examples: [
        .init(
          "scans | first 2 | select ScanId",
          prints: """
            ScanId
            2026110202573680202
            2026110123262905847
            (2 rows)

            """),
        .init(
          "scans | sort start desc | limit 3 | select ScanId, StartDate",
          prints: """
            ScanId               StartDate
            2026102602471293011  2026-11-02 08:54Z
            2026090621350955013  2026-11-02 08:49Z
            2026080601274657024  2026-11-02 08:40Z
            (3 rows)

            """),
      ]),
    LanguageEntry(
      .count, kind: .stage, signature: "count",
      summary: "Count the rows.",
      examples: [
        .init("scans | count", prints: "240\n"),
        .init("scans where status = running | count", prints: "19\n"),
      ]),
    LanguageEntry(
      .group, kind: .stage,
      signature: "group FIELD [, FIELD]… [by INTERVAL|hour|day|week|month] [with AGG FIELD [, AGG FIELD]…]",
      summary:
        "One row per combination of values with its count, largest first; `by` cuts a time field into buckets "
        + "(empty ones shown, in order); AGG is count, min, max, avg or sum.",
      examples: [
        .init(
          "scans | group status",
          prints: """
            Status    count
            finished    133
            waiting      35
            aborted      31
            running      19
            disabled     17
            invalid       5
            (6 rows)

            """),
        .init(
          "scans | group type, trigger",
          prints: """
            ScanType  TriggerType  count
            vuln      date           133
            vuln      interval        77
            content   date            22
            content   interval         8
            (4 rows)

            """),
        .init(
          "scans | group type with avg progress, max end",
          prints: """
            ScanType  count  avg(RunPercent)  max(EndDate)
            vuln        210            65.14  2026-11-02 02:47Z
            content      30            69.44  2026-11-02 08:58Z
            (2 rows)

            """),
        .init(
          "scans where status = aborted and start > now-35d | group start by week",
          prints: """
            StartDate   count
            2026-09-28      6
            2026-10-05      2
            2026-10-12      5
            2026-10-19      1
            2026-10-26      9
            2026-11-02      1
            (6 rows)

            """),
      ]),
    LanguageEntry(
      .distinct, kind: .stage, signature: "distinct FIELD [, FIELD]…",
      summary: "Keep the first row of each combination of values.",
      examples: [
        .init(
          "scans | distinct type, trigger | select ScanType, TriggerType",
          prints: """
            ScanType  TriggerType
            vuln      date
            vuln      interval
            content   date
            content   interval
            (4 rows)

            """)
      ]),
    LanguageEntry(
      .diff, kind: .stage, signature: "diff PATH [by FIELD [, FIELD]…]",
      summary:
        "Compare the rows with a snapshot `save` wrote, by their key or the fields after `by`: one row per "
        + "difference, with `Change` (added, removed, changed) and `Changed` (the fields that differ).",
      examples: [
        .init(
          "scans | diff running.ndjson | group Change",
          prints: """
            Change  count
            added     221
            (1 row)

            """),
        .init(
          "scans | diff running.ndjson | where Change = added | first 2 | select Change, ScanId, Status",
          prints: """
            Change  ScanId               Status
            added   2026110202573680202  finished
            added   2026110123262905847  finished
            (2 rows)

            """),
      ]),
    LanguageEntry(
      .expect, kind: .stage, signature: "expect " + checkSignature,
      summary: "Fail the statement (exit 1) unless the rows pass the check.",
      examples: [
        .init("scans where status = invalid and name = nothing | expect empty"),
        .init("scans | expect count > 0"),
      ]),
    LanguageEntry(
      .watch, kind: .stage, signature: "watch INTERVAL [until CHECK|EXPR] [for DURATION]",
      summary: "Re-run the pipeline every INTERVAL and show what changed.",
      examples: [
        .init(
          "scans where status = running | watch 30s until empty for 2h",
          prints: """
            09:00:00  2026080601274657024  test_0805-4  added: Status running, RunPercent 53.7
            09:00:00  2026080604513741352  test_0805-1  added: Status running, RunPercent 84.6
            09:00:00  2026080721433063044  dr-api-vuln  added: Status running, RunPercent 56
            09:00:00  2026080806405726027  test_0807-1  added: Status running, RunPercent 37.2
            09:00:00  2026081012592607859  test_0810-7  added: Status running, RunPercent 64.8
            09:00:00  2026081312595352003  test_0813-3  added: Status running, RunPercent 73.9
            09:00:00  2026090518102050875  dev-api-pci-dss  added: Status running, RunPercent 22.9
            09:00:00  2026090615170301351  staging-crm-vuln  added: Status running, RunPercent 29.6
            09:00:00  2026090621350955013  staging-cdn-weekly  added: Status running, RunPercent 8
            09:00:00  2026090814143471115  内容安全巡检-新闻站  added: Status running, RunPercent 11
            09:00:00  2026091104063445228  dr-vpn-full  added: Status running, RunPercent 47.6
            09:00:00  2026092018145948458  équipe-sécurité-cdn  added: Status running, RunPercent 41.6
            09:00:00  2026092114075823900  dev-pay-vuln  added: Status running, RunPercent 47.6
            09:00:00  2026100112063230766  équipe-sécurité-news  added: Status running, RunPercent 70.1
            09:00:00  2026100508174417079  équipe-sécurité-auth  added: Status running, RunPercent 14.8
            09:00:00  2026100610071140089  test_1006-2  added: Status running, RunPercent 83.8
            09:00:00  2026100806291588262  dev-vpn-external  added: Status running, RunPercent 85.2
            09:00:00  2026102502243736289  staging-git-defacement  added: Status running, RunPercent 50.8
            09:00:00  2026102602471293011  équipe-sécurité-api  added: Status running, RunPercent 41

            """),
        .init(
          "scans | group status | watch 1m for 1h",
          prints: """
            09:00:00  aborted  added: count 31
            09:00:00  disabled  added: count 17
            09:00:00  finished  added: count 133
            09:00:00  invalid  added: count 5
            09:00:00  running  added: count 19
            09:00:00  waiting  added: count 35

            """),
      ]),
    LanguageEntry(
      .format, kind: .stage, signature: "format " + formats.joined(separator: "|"),
      summary: "Print this statement's result in another format.",
      examples: [
        .init(
          "scans | first 2 | select ScanId, Status | format json",
          prints: """
            [
            {"ScanId":"2026110202573680202","Status":"finished"},
            {"ScanId":"2026110123262905847","Status":"finished"}
            ]

            """)
      ]),
    LanguageEntry(
      .save, kind: .stage, signature: "save PATH",
      summary: "Write the rows to PATH as ndjson (atomically: a temporary file, then a rename).",
      examples: [.init("scans where status = running | save running.ndjson")]),
    LanguageEntry(
      .exec, kind: .stage, signature: "exec PROGRAM [ARG]…",
      summary:
        "After a watch: run PROGRAM for each change (no shell), the event as a JSON line on stdin and as"
        + " SCANSH_* variables; one at a time, each stopped after `set exectimeout` seconds.",
      examples: [
        .init(
          "scans where status = running and RunPercent > 85 | watch 1m for 1h | where Change = removed | exec ./scan-done.sh --quiet",
          prints: "09:00:00  2026100806291588262  dev-vpn-external  added: Status running, RunPercent 85.2\n")
      ]),
    LanguageEntry(
      .post, kind: .stage, signature: "post [dingtalk|slack|feishu|wecom] URL",
      summary:
        "After a watch: POST each change to a webhook (https; the event as JSON, or a chat service's text"
        + " message), retried on 5xx and throttling. Pass the URL as a parameter: it holds a token.",
      examples: [
        .init(
          "param hook = \"https://example.com/hook\"; scans where status = running and RunPercent > 85 | watch 5m for 1h | where Change = removed | post slack $hook",
          prints: "09:00:00  2026100806291588262  dev-vpn-external  added: Status running, RunPercent 85.2\n")
      ]),
    LanguageEntry(
      .notify, kind: .stage, signature: "notify",
      summary: "After a watch: a desktop notification per change, on a terminal (`set notify off` silences it).",
      examples: [
        .init(
          "sessions where status = running and RunPercent > 85 | watch 1m for 1h | where Change = removed | notify",
          prints: "09:00:00  9293896786792  dev-vpn-external  added: JobStatus running, RunPercent 85.2\n")
      ]),
    LanguageEntry(
      .details, kind: .stage, signature: "details",
      summary: "Add each finding's details (DescribeVulnerability, one request per row that reaches it).",
      examples: [
        .init(
          "findings where severity = important | first 1 | details | select Name, Cwe, Solution",
          prints: """
            Name           Cwe     Solution
            SQL injection  CWE-89  Use parameterised queries; never build SQL from request text.
            (1 row)

            """)
      ]),
    LanguageEntry(
      .help, kind: .command, signature: "help [TOPIC]",
      summary: "List stages and commands, or show one with its examples.",
      examples: [
        .init(
          "help first",
          prints: """
            first N
              Keep the first N rows (alias: limit).
              Also written: limit

            Examples:
              scans | first 2 | select ScanId
              scans | sort start desc | limit 3 | select ScanId, StartDate

            """)
      ]),
    LanguageEntry(
      .set, kind: .command, signature: "set NAME VALUE",
      summary: "Change a setting: " + settingNames.joined(separator: ", ") + ".",
      examples: [.init("set format json"), .init("set timezone utc")]),
    LanguageEntry(
      .show, kind: .command, signature: "show " + showTopics.joined(separator: "|"),
      summary: "Show the settings, the fields you can use, or the connection.",
      examples: [
        .init(
          "show settings",
          prints: """
            pagesize     100
            concurrency  8
            format       table
            lang         (server default)
            timezone     utc
            color        auto
            sourceip     (none)
            pager        on
            notify       on
            exectimeout  30

            """),
        .init(
          "show config",
          prints: """
            endpoint     built-in simulator on loopback (demo mode)
            profile      -
            region       -
            credentials  none (demo mode)
            access key   -

            """),
      ]),
    LanguageEntry(
      .explain, kind: .command, signature: "explain PIPELINE",
      summary: "Show the plan: API parameters, client-side stages, requests expected.",
      examples: [
        .init(
          "explain scans where status = running | count",
          prints: """
            api       DescribeScans CurrentPage=1 PageSize=1 StatusList.1=running
            pushed    status = running
            client    (nothing)
            requests  exactly 1 (PageSize=1; the answer's TotalCount is the count)

            """)
      ]),
    LanguageEntry(
      .history, kind: .command, signature: "history",
      summary: "List the statements entered in earlier sessions and this one.",
      examples: [
        .init("history", prints: "1  scans | count\n")
      ]),
    LanguageEntry(
      .source, kind: .command, signature: "source PATH",
      summary: "Run the statements of a script file.",
      examples: [.init("source checks.scansh")]),
    LanguageEntry(
      .use, kind: .command, signature: "use ACCOUNT [, ACCOUNT]… | use all",
      summary:
        "Read these accounts (aliyun-cli profiles; demo and demo-dev in demo mode); every row says its Account.",
      examples: [.init("use demo, demo-dev"), .init("use demo")]),
    LanguageEntry(
      .exit, aliases: ["quit"], kind: .command, signature: "exit",
      summary: "Leave scansh (also quit, or Ctrl-D).",
      examples: [.init("exit")]),
    LanguageEntry(
      .param, kind: .command, signature: "param NAME [= VALUE]",
      summary: "Declare a script parameter, set with `--var NAME=VALUE` and used as `$NAME`; in the shell, define one.",
      examples: [
        .init("param days = 1d"),
        .init("param days = 30d; scans where status = aborted and end > $days | count", prints: "20\n"),
      ]),
    LanguageEntry(
      .report, kind: .command, signature: "report TASKID, … to DIR [for DURATION]  |  … | report to DIR [for DURATION]",
      summary:
        "Have the runs' reports made (GenerateVulReport), wait until each is ready (10m unless `for` says),"
        + " and save each as DIR/<TaskId>.<ext>; after `|`, the reports of the runs before it.",
      examples: [
        .init("sessions where status = finished | first 3 | report to reports"),
        .init("scans where Name = \"uat-admin-weekly\" | sessions | first 1 | report to reports for 5m"),
        .init("report 7173510589062, 2410752017166 to reports"),
      ]),
  ]
}
