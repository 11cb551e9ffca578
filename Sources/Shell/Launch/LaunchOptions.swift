import Vocabulary

/// The command line's options as the shell needs them; the executable fills this from its parser.
public struct LaunchOptions: Sendable, Equatable {
  public var endpoint: String?
  public var profile: String?
  public var region: String?
  /// `--all-profiles`: every profile of aliyun-cli's config file, as several accounts.
  public var allProfiles = false
  /// `--demo`: the built-in simulator even when credentials are configured.
  public var demo = false
  public var format: OutputFormat?
  public var pageSize: Int?
  public var concurrency: Int?
  public var noColor = false
  public var verbose = false
  public var keepGoing = false
  /// `--var NAME=VALUE`, the last of a name winning.
  public var variables: [String: String] = [:]
  /// `--junit FILE`: the checks of the scripts (or `-c`) as JUnit XML, written when the run ends.
  public var junit: String?
  /// `--no-pager`: never page, even on a terminal.
  public var noPager = false
  /// Per request.
  public var timeout: Duration = .seconds(20)

  public init() {}
}
