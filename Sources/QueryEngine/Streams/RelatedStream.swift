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
  private let window: Int
  private var pending: [Task<[Row], any Error>] = []
  private var rows: [Row] = []
  private var index = 0
  private var upstreamDone = false

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
    window = max(1, options.concurrency)
    var options = options
    options.limit = nil
    options.wanted = .all
    options.concurrency = 1
    self.options = options
    super.init(upstream)
  }

  deinit { for task in pending { task.cancel() } }

  override func next() async throws -> Row? {
    while index == rows.count {
      try await fill()
      guard !pending.isEmpty else { return nil }
      let task = pending.removeFirst()
      try await fill()
      rows = try await withTaskCancellationHandler {
        try await task.value
      } onCancel: {
        task.cancel()
      }
      index = 0
    }
    index += 1
    return rows[index - 1]
  }

  /// Starts listings for parents until `window` are in flight.
  private func fill() async throws {
    while !upstreamDone, pending.count < window {
      guard let row = try await upstream.next() else {
        upstreamDone = true
        return
      }
      pending.append(listing(for: row))
    }
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
    for task in pending { task.cancel() }
    pending = []
    try await upstream.finish()
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
  private let window: Int
  private let lang: String?
  private let resource = Resource.findings
  private var pending: [(row: Row, detail: Task<Scan?, any Error>)] = []
  private let fetched: DetailCache
  private var upstreamDone = false

  init(_ upstream: any RowStream, clients: [String: ScanClient], window: Int, lang: String?, cache: DetailCache) {
    self.clients = clients
    self.window = max(1, window)
    self.lang = lang
    fetched = cache
    super.init(upstream)
  }

  override func next() async throws -> Row? {
    try await fill()
    guard !pending.isEmpty else { return nil }
    let (row, task) = pending.removeFirst()
    try await fill()
    let detail = try await withTaskCancellationHandler {
      try await task.value
    } onCancel: {
      task.cancel()
    }
    guard let detail else { return row }
    var values = row.values
    for column in resource.detailColumns where values[column] == nil { values[column] = detail.values[column] }
    return Row(values: values)
  }

  private func fill() async throws {
    while !upstreamDone, pending.count < window {
      guard let row = try await upstream.next() else {
        upstreamDone = true
        return
      }
      pending.append((row, detail(for: row)))
    }
  }

  private func detail(for row: Row) -> Task<Scan?, any Error> {
    guard let id = row.values[resource.key]?.text else { return Task { nil } }
    let account = row.values[resource.account]?.text ?? ""
    if let known = fetched.tasks[account + "\u{1F}" + id] { return known }
    guard let client = clients[account] ?? clients.values.first else { return Task { nil } }
    let lang = lang
    let task = Task<Scan?, any Error> { try await client.describeVulnerability(id: id, lang: lang) }
    fetched.tasks[account + "\u{1F}" + id] = task
    return task
  }

  override func finish() async throws {
    for (_, task) in pending { task.cancel() }
    try await upstream.finish()
  }
}
