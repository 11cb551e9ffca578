import Vocabulary

/// A parsed script: statements in order.
public struct Script: Sendable {
  public var statements: [Statement]

  public init(statements: [Statement]) { self.statements = statements }
}

public struct Statement: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case pipeline(Pipeline)
    case command(Command)
  }

  public var kind: Kind
  public var span: Span

  public init(_ kind: Kind, span: Span) {
    self.kind = kind
    self.span = span
  }
}

public struct Pipeline: Sendable, Hashable {
  public var source: Source
  public var stages: [Stage]
  public var span: Span

  public init(source: Source, stages: [Stage], span: Span) {
    self.source = source
    self.stages = stages
    self.span = span
  }
}

public enum Source: Sendable, Hashable {
  /// `scans|sessions|findings [search TEXT] [where EXPR]`
  case listing(ListingName, search: Located<String>?, filter: Condition?, span: Span)
  /// `load PATH`
  case load(path: Located<String>, span: Span)

  public var span: Span {
    switch self {
    case .listing(_, _, _, let span), .load(_, let span): span
    }
  }
}

/// What a listing reads: scan tasks, their runs, or the vulnerabilities they found.
public enum ListingName: String, Sendable, Hashable, CaseIterable {
  case scans, sessions, findings
}

/// A field as written; resolved against the field catalog by the engine.
public struct FieldName: Sendable, Hashable {
  public var name: String
  public var span: Span

  public init(_ name: String, _ span: Span) {
    self.name = name
    self.span = span
  }
}

public struct SortKey: Sendable, Hashable {
  public var field: FieldName
  public var descending: Bool

  public init(field: FieldName, descending: Bool) {
    self.field = field
    self.descending = descending
  }
}

public struct Stage: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case filter(Condition)
    case sort([SortKey])
    case select([FieldName])
    /// `select *`: every field, in the catalog's order.
    case selectAll
    case first(Located<Int>)
    case count
    case group(GroupSpec)
    case distinct([FieldName])
    /// `diff PATH [by FIELD, …]`: rows that differ from a saved snapshot, matched by the source's
    /// key or by the fields after `by`.
    case diff(Located<String>, by: [FieldName])
    case expect(Check)
    case watch(WatchSpec)
    case format(Located<OutputFormat>)
    case save(Located<String>)
    /// `| sessions`, `| findings`: the runs or findings of each row before.
    case related(ListingName)
    /// `| details`: each finding's details (DescribeVulnerability).
    case details
    /// `report to DIR [for DURATION]`: the reports of the runs before it.
    case report(ReportSpec)
    /// `exec PROGRAM ARG…` after a watch: the program run for each event (no shell).
    case exec([Located<String>])
    /// `post [SERVICE] URL` after a watch: each event posted to a webhook.
    case post(service: Located<String>?, url: Located<String>)
    /// `notify` after a watch: a desktop notification per event.
    case notify
  }

  public var kind: Kind
  /// The whole stage, name included.
  public var span: Span
  /// The stage's name as written (`where`, `limit`, …).
  public var name: Located<String>

  public init(_ kind: Kind, span: Span, name: Located<String>) {
    self.kind = kind
    self.span = span
    self.name = name
  }
}

/// `group KEY, … [by BUCKET] [with AGG FIELD, …]`
public struct GroupSpec: Sendable, Hashable {
  public var keys: [FieldName]
  public var bucket: Located<GroupBucket>?
  public var aggregates: [Aggregate]

  public init(keys: [FieldName], bucket: Located<GroupBucket>? = nil, aggregates: [Aggregate] = []) {
    self.keys = keys
    self.bucket = bucket
    self.aggregates = aggregates
  }
}

/// How `group … by` cuts time into buckets.
public enum GroupBucket: Sendable, Hashable {
  /// A fixed interval, in milliseconds (`by 1d`, `by 15m`).
  case every(Int64)
  /// A calendar unit, in the session's time zone.
  case calendar(CalendarUnit)
}

public enum CalendarUnit: String, Sendable, Hashable, CaseIterable {
  case hour, day, week, month
}

/// `avg RunPercent` in `group … with`.
public struct Aggregate: Sendable, Hashable {
  public var function: Located<AggregateFunction>
  public var field: FieldName

  public init(function: Located<AggregateFunction>, field: FieldName) {
    self.function = function
    self.field = field
  }
}

public enum AggregateFunction: String, Sendable, Hashable, CaseIterable {
  case count, min, max, avg, sum
}

/// What `expect` and `watch … until` test.
public enum Check: Sendable, Hashable {
  case empty(Span)
  case count(Located<Operator>, Located<Int>, Span)
  case all(Condition, Span)
  case any(Condition, Span)
  case none(Condition, Span)

  public var span: Span {
    switch self {
    case .empty(let span), .count(_, _, let span), .all(_, let span), .any(_, let span), .none(_, let span): span
    }
  }
}

public struct WatchSpec: Sendable, Hashable {
  /// Milliseconds between ticks.
  public var interval: Located<Int64>
  public var until: Check?
  /// Give up after this many milliseconds.
  public var limit: Located<Int64>?

  public init(interval: Located<Int64>, until: Check?, limit: Located<Int64>?) {
    self.interval = interval
    self.until = until
    self.limit = limit
  }
}

public indirect enum Condition: Sendable, Hashable {
  /// Flat lists, so a chain of 5,000 conditions is not 5,000 levels deep.
  case and([Condition], Span)
  case or([Condition], Span)
  case not(Condition, Span)
  case comparison(FieldName, Located<Operator>, Value)
  case membership(FieldName, negated: Bool, values: [Value], span: Span)

  public var span: Span {
    switch self {
    case .and(_, let span), .or(_, let span), .not(_, let span), .membership(_, _, _, let span): span
    case .comparison(let field, _, let value): field.span.to(value.span)
    }
  }
}

/// A literal as written. Times (`2024-07-10`, `now-1d`) are words here; the engine reads them
/// according to the field they are compared with.
public struct Value: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case word(String)
    case quoted(String)
    case number(Double)
    /// Milliseconds.
    case duration(Int64)
  }

  public var kind: Kind
  /// The source text (for a number, its exact digits).
  public var text: String
  public var span: Span

  public init(_ kind: Kind, text: String, span: Span) {
    self.kind = kind
    self.text = text
    self.span = span
  }

  /// The value as text: quotes removed, numbers as written.
  public var string: String {
    switch kind {
    case .word(let word): word
    case .quoted(let text): text
    case .number, .duration: text
    }
  }
}

public enum Command: Sendable, Hashable {
  case help(topic: Located<String>?)
  case set(name: Located<String>, value: Value)
  case show(Located<LanguageReference.ShowTopic>)
  case explain(Pipeline)
  case history
  case source(Located<String>)
  /// `use NAME, …` or `use all`: the accounts statements read.
  case use([Located<String>])
  case exit
  /// `param NAME [= VALUE]`: declares a script parameter, or defines one in the shell.
  case param(name: Located<String>, value: Value?)
  /// `report TASKID, … to DIR [for DURATION]`: the runs' reports, made and downloaded.
  case report(taskIds: [Located<String>], spec: ReportSpec)
}

/// Where `report` saves the reports, and how long it waits for them to be made (nil: the default).
public struct ReportSpec: Sendable, Hashable {
  public var directory: Located<String>
  public var limit: Located<Int64>?

  public init(directory: Located<String>, limit: Located<Int64>?) {
    self.directory = directory
    self.limit = limit
  }
}
