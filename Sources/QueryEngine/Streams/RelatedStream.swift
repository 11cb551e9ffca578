import ScanAPI
import Vocabulary

/// `… | sessions` and `… | findings`: for each row before, the child listing filtered by its key
/// (a task's `ScanId`, a run's `TaskId`), read in the parent row's account. Up to `--concurrency`
/// parents' listings are in flight at once, a few parents ahead of the consumer; children come out
/// in parent order, each carrying its parent's key and name. A consumer that stops early (`first
/// N`) leaves the remaining parents unread.
final class RelatedStream: StageStream {
  private let parent: Resource
  private let child: Resource
  private let clients: [String: ScanClient]
  private let options: ScanListing.Options
  private let base: ListRequest
  private var window: AheadWindow<[Row]>!
  private var rows: [Row] = []
  private var index = 0

  init(
    _ upstream: any RowStream, parent: Resource, child: Resource, clients: [String: ScanClient],
    base: ListRequest, options: ScanListing.Options
  ) {
    self.parent = parent
    self.child = child
    self.clients = clients
    self.base = base
    // The request window is shared by the parents: `concurrency` listings at once, each reading
    // its pages one after another (a task's findings are mostly one page).
    let size = options.concurrency
    var options = options
    options.limit = nil
    options.wanted = .all
    options.concurrency = 1
    self.options = options
    super.init(upstream)
    window = AheadWindow(upstream, size: size) { [unowned self] row in listing(for: row) }
  }

  override func next() async throws -> Row? {
    while index == rows.count {
      guard let (_, children) = try await window.next() else { return nil }
      rows = children
      index = 0
    }
    index += 1
    return rows[index - 1]
  }

  private func listing(for row: Row) -> Task<[Row], any Error> {
    let account = row.values[parent.account]?.text ?? ""
    guard let client = clients[account] ?? clients.values.first, let key = row.values[parent.key]?.text else {
      return Task { [] }
    }
    var request = base
    let filter = parent.id == .sessions ? "TaskId" : "ScanId"
    request[filter] = key
    var stamps: [(column: Int, value: FieldValue)] = []
    if child == .findings {
      let scanId = parent.id == .scans ? row.values[parent.key] : row.values[parent.index(of: "ScanId")!]
      if let scanId { stamps.append((child.index(of: "ScanId")!, scanId)) }
      if let name = row.values[parent.index(of: "Name")!] { stamps.append((child.index(of: "ScanName")!, name)) }
    }
    let listing = PlannedListing(request, stamps: stamps)
    let options = options
    return Task {
      let source = SourceRows(client: client, account: account, listings: [listing], options: options)
      var all: [Row] = []
      while let rows = try await source.nextRows() { all += rows }
      return all
    }
  }

  override func finish() async throws {
    window.cancel()
    try await upstream.finish()
  }
}

/// Work started for the rows of a stream a window ahead of the consumer: up to `size` rows'
/// tasks in flight, handed out in row order, so a consumer that stops early leaves the rest of
/// the rows unread. Used for a relation's child listings and for details.
final class AheadWindow<Value: Sendable> {
  private let upstream: any RowStream
  private let size: Int
  private let start: (Row) -> Task<Value, any Error>
  private var pending: [(row: Row, task: Task<Value, any Error>)] = []
  private var upstreamDone = false

  init(_ upstream: any RowStream, size: Int, start: @escaping (Row) -> Task<Value, any Error>) {
    self.upstream = upstream
    self.size = max(1, size)
    self.start = start
  }

  deinit { cancel() }

  /// The next row and its task's value, in row order; nil at the end.
  func next() async throws -> (row: Row, value: Value)? {
    try await fill()
    guard !pending.isEmpty else { return nil }
    let (row, task) = pending.removeFirst()
    try await fill()
    let value = try await withTaskCancellationHandler {
      try await task.value
    } onCancel: {
      task.cancel()
    }
    return (row, value)
  }

  /// Starts tasks for the next rows until `size` are in flight.
  private func fill() async throws {
    while !upstreamDone, pending.count < size {
      guard let row = try await upstream.next() else {
        upstreamDone = true
        return
      }
      pending.append((row, start(row)))
    }
  }

  func cancel() {
    for (_, task) in pending { task.cancel() }
    pending = []
  }
}

/// The details fetched in one statement, by account and `Id`: each is asked for once, however
/// many `details` stages (or detail fields) the statement has.
final class DetailCache {
  var tasks: [String: Task<Scan?, any Error>] = [:]

  deinit { for task in tasks.values { task.cancel() } }
}

/// `details`: each finding with the fields only DescribeVulnerability gives, fetched a window of
/// rows ahead, at most `window` at once, once per `Id` in a statement. Rows keep their order.
final class DetailsStream: StageStream {
  private let clients: [String: ScanClient]
  private let lang: String?
  private let sourceIp: String?
  private let resource = Resource.findings
  private let fetched: DetailCache
  private var window: AheadWindow<Scan?>!

  init(
    _ upstream: any RowStream, clients: [String: ScanClient], window size: Int, lang: String?, sourceIp: String?,
    cache: DetailCache
  ) {
    self.clients = clients
    self.lang = lang
    self.sourceIp = sourceIp
    fetched = cache
    super.init(upstream)
    window = AheadWindow(upstream, size: size) { [unowned self] row in detail(for: row) }
  }

  override func next() async throws -> Row? {
    guard let (row, detail) = try await window.next() else { return nil }
    guard let detail else { return row }
    var values = row.values
    for column in resource.detailColumns where values[column] == nil { values[column] = detail.values[column] }
    return Row(values: values)
  }

  private func detail(for row: Row) -> Task<Scan?, any Error> {
    guard let id = row.values[resource.key]?.text else { return Task { nil } }
    let account = row.values[resource.account]?.text ?? ""
    let cacheKey = account + "\u{1F}" + id
    if let known = fetched.tasks[cacheKey] { return known }
    guard let client = clients[account] ?? clients.values.first else { return Task { nil } }
    let (lang, sourceIp) = (lang, sourceIp)
    let task = Task<Scan?, any Error> { try await client.describeVulnerability(id: id, lang: lang, sourceIp: sourceIp) }
    fetched.tasks[cacheKey] = task
    return task
  }

  override func finish() async throws {
    window.cancel()
    try await upstream.finish()
  }
}
