import QueryLanguage
import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A pipeline whose names are resolved and whose literals are typed: ready to plan.
public struct BoundPipeline: Sendable {
  public enum Source: Sendable {
    case listing(Resource, search: String?, filter: Predicate?)
    case load(path: String)
  }

  public enum Stage: Sendable {
    case filter(Predicate)
    case sort([SortSpec])
    case select([Int])
    case first(Int)
    case count
    case group(BoundGroup)
    case distinct([Int])
    /// Rows that differ from the snapshot at `path`, matched by the columns `keys` (the resource's
    /// key, or the fields of `diff … by`).
    case diff(path: String, keys: [Int])
    case expect(BoundCheck)
    case watch(BoundWatch)
    case format(OutputFormat)
    case save(String)
    /// The runs or findings of each row (whole rows of the resource before).
    case related(Resource)
    /// Each finding's details, one DescribeVulnerability per row.
    case details
    /// The reports of the runs before it, made and saved (the shell runs it, as it runs a watch).
    case report(BoundReport)
    /// After a watch, per event: a program run, a webhook posted to, a desktop notification.
    case exec([String])
    case post(service: String?, url: String)
    case notify
  }

  public struct SortSpec: Sendable {
    public var column: Int
    public var descending: Bool
  }

  /// The statement as written: kept only to bind it again when a fact it read has moved
  /// (`dependsOn`); planning and running read the bound form.
  public var syntax: Pipeline
  public var source: Source
  public var stages: [Stage]
  /// `schemas[0]` is the source's; `schemas[i + 1]` is what stage `i` produces.
  public var schemas: [Schema]
  /// Scan fields any stage reads; whole rows are needed when `output.isScans`.
  public var readFields: FieldSet
  /// Said on stderr when the statement runs: values the reference does not list, matched as sent.
  public var warnings: [String] = []
  /// Stages before which details are fetched because they name a detail field (-1: the source's
  /// own `where`).
  public var implicitDetails: [Int] = []
  /// What the binding read besides the statement, so that a statement bound ahead of running
  /// (a script is checked whole first) is bound again only when one of these may have moved.
  public var dependsOn = RunTimeFacts()

  public struct RunTimeFacts: Sendable, Equatable {
    /// A time relative to now (`2h`, `now-1d`): its value moves while a script runs.
    public var now = false
    /// Values seen in results were asked (an undocumented enum value): an earlier statement's
    /// rows may make its warning go.
    public var seenValues = false
    /// The file a `load` names, and whose rows it held then: an earlier `save` may change them.
    public var file: (path: String, resource: Resource)?

    public init() {}

    public static func == (a: RunTimeFacts, b: RunTimeFacts) -> Bool {
      a.now == b.now && a.seenValues == b.seenValues && a.file?.path == b.file?.path
        && a.file?.resource == b.file?.resource
    }
  }

  /// Where the pipeline is written, and each stage: for messages and `explain`.
  public var span: Span
  public var stageSpans: [Span]
  /// The first `where` (the source's own, or a `where` stage right after the source) cut into
  /// its top-level conjuncts: what the planner may send to the API (docs/design.md §3).
  public var pushable: Pushable?

  public struct Pushable: Sendable {
    public var conjuncts: [Condition]
    /// A `where` stage (stage 0), not the source's own.
    public var isStage: Bool
  }

  public var output: Schema { schemas[schemas.count - 1] }

  /// The pipeline up to (not including) stage `count`, as bound: what a watch's ticks and a
  /// report stage read. What the binding read is the whole pipeline's, which may ask for a
  /// rebind that the prefix alone would not need, never the other way. `BinderTests` checks it
  /// against binding the prefix on its own.
  public func prefix(_ count: Int) -> BoundPipeline {
    var cut = self
    cut.syntax.stages = Array(syntax.stages[..<count])
    cut.stages = Array(stages[..<count])
    cut.schemas = Array(schemas[...count])
    cut.stageSpans = Array(stageSpans[..<count])
    cut.implicitDetails = implicitDetails.filter { $0 < count }
    if cut.pushable?.isStage == true, count == 0 { cut.pushable = nil }
    cut.span = Span(span.start, (cut.stageSpans.last ?? syntax.source.span).end)
    // Whole rows come out of the prefix: every field is read, as the binder reads for such a pipeline.
    if cut.output.isScans { cut.readFields = .all }
    return cut
  }
}

/// `group`, resolved: key columns, the key cut into time buckets (if any), and aggregates.
public struct BoundGroup: Sendable {
  public struct Aggregate: Sendable {
    public var function: AggregateFunction
    public var column: Int
  }

  public var keys: [Int]
  /// Which of `keys` is bucketed, and how.
  public var bucket: (key: Int, bucket: GroupBucket)?
  public var aggregates: [Aggregate]
}

/// `expect` and `watch … until` checks, compiled.
public struct BoundCheck: Sendable {
  public enum Kind: Sendable {
    case empty
    case count(Operator, Int)
    case all(Predicate)
    case any(Predicate)
    case none(Predicate)
  }

  public var kind: Kind
  /// As written, for messages.
  public var text: String
}

public struct BoundWatch: Sendable {
  public var interval: Duration
  public var until: BoundCheck?
  public var limit: Duration?
  /// Index of the watch stage: the pipeline before it is what each tick runs.
  public var stageIndex: Int
}

/// `report to DIR [for DURATION]`, resolved.
public struct BoundReport: Sendable {
  public var directory: String
  /// How long to wait for the reports to be made; nil for the default.
  public var limit: Duration?
  /// Index of the report stage: the pipeline before it gives the runs.
  public var stageIndex: Int
  /// Where the runs' TaskId and ScanId are in the rows before it.
  public var taskIdColumn: Int
  public var scanIdColumn: Int
}
