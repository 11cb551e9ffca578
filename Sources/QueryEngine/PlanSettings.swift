/// What planning and evaluating a statement take from the session's settings: how to page, what
/// to send on every request, and the time zone `group … by day` buckets in. The settings a user
/// sees and changes (`set`, `show settings`), presentation ones included, are the shell's.
public struct PlanSettings: Sendable, Equatable {
  public var pageSize = 100
  public var concurrency = 8
  /// Sent as `Lang` when set.
  public var lang: String?
  /// Sent as `SourceIp` when set.
  public var sourceIp: String?
  /// Time buckets (`group … by day`) in UTC rather than local time.
  public var utc = false

  public init(
    pageSize: Int = 100, concurrency: Int = 8, lang: String? = nil, sourceIp: String? = nil, utc: Bool = false
  ) {
    self.pageSize = pageSize
    self.concurrency = concurrency
    self.lang = lang
    self.sourceIp = sourceIp
    self.utc = utc
  }
}
