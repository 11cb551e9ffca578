import QueryLanguage
import ScanAPI
import Vocabulary

/// How a pipeline will run: what the API is asked, what the client does after, what it costs.
public struct Plan: Sendable {
  public enum Input: Sendable {
    /// Page through DescribeScans.
    case listing(DescribeScansRequest, ScanListing.Options)
    /// One request with `PageSize=1`; its `TotalCount` is the answer. A server that leaves
    /// TotalCount out is paged through with `fallback` and the rows counted.
    case totalCount(DescribeScansRequest, fallback: ScanListing.Options)
    case file(path: String, wanted: FieldSet)
  }

  public var input: Input
  /// What runs on the client, in order (for `.totalCount`, the stages after `count`).
  public var stages: [PlannedStage]
  public var output: Schema
  /// The last `format` stage, which overrides `--format` and `set format`.
  public var format: OutputFormat?
  /// Pushed conditions as written, for `explain`.
  public var pushed: [String]
  /// Conditions of the first `where` kept on the client on purpose, each with why, for `explain`.
  public var kept: [String]
  /// The client-side stages as written, for `explain`.
  public var clientStages: [String]
  /// How many requests the plan expects, in words.
  public var requests: String
  /// The statement ends in an `expect` or `save`: it prints no rows.
  public var isSilent: Bool
  /// Time buckets (`group … by`) are cut on the UTC clock rather than the local one.
  public var utc = false
}

/// A client-side stage and the schema of the rows it receives.
public struct PlannedStage: Sendable {
  public var stage: BoundPipeline.Stage
  public var input: Schema
}
