import QueryLanguage
import ScanAPI
import Vocabulary

/// How a pipeline will run: what the API is asked, what the client does after, what it costs.
public struct Plan: Sendable {
  public enum Input: Sendable {
    /// Page through a listing; several (one per severity pushed) are read at once and merged.
    case listing([PlannedListing], ScanListing.Options)
    /// One request with `PageSize=1` per listing; their `TotalCount`s add up to the answer. A
    /// server that leaves TotalCount out is paged through with `fallback` and the rows counted.
    case totalCount([PlannedListing], fallback: ScanListing.Options)
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

/// One listing a plan reads, and values its rows get that the API does not send (the `VulType` or
/// `ScanId` a request filtered findings by).
public struct PlannedListing: Sendable {
  public var request: ListRequest
  public var stamps: [(column: Int, value: FieldValue)]

  public init(_ request: ListRequest, stamps: [(column: Int, value: FieldValue)] = []) {
    self.request = request
    self.stamps = stamps
  }
}

/// A client-side stage and the schema of the rows it receives.
public struct PlannedStage: Sendable {
  public var stage: BoundPipeline.Stage
  public var input: Schema
  /// Details are fetched (DescribeVulnerability) before this stage, which names a detail field.
  public var detailsFirst = false
}
