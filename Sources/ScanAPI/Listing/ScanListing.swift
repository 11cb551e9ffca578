/// Every row matching a listing request (scans, runs or findings), read page by page: page 1 at
/// the largest page size, then the remaining pages concurrently (at most `concurrency` in flight),
/// yielded in page order and deduplicated by the resource's key (ScanId, TaskId, Id). Iteration is pulled: pages are fetched only a window ahead of the
/// consumer, and a consumer that stops or is cancelled cancels what is in flight.
public struct ScanListing: AsyncSequence, Sendable {
  public typealias Element = Scan

  public struct Options: Sendable, Equatable {
    /// The page size asked for; the server's echo rules when smaller.
    public var pageSize: Int
    public var concurrency: Int
    /// Stop after this many rows (a `first N` with only pushed filters before it).
    public var limit: Int?
    public var wanted: FieldSet

    public init(pageSize: Int = 100, concurrency: Int = 8, limit: Int? = nil, wanted: FieldSet = .all) {
      self.pageSize = pageSize
      self.concurrency = concurrency
      self.limit = limit
      self.wanted = wanted
    }
  }

  let client: ScanClient
  let request: ListRequest
  let options: Options

  public init(client: ScanClient, request: ListRequest, options: Options = Options()) {
    self.client = client
    self.request = request
    self.options = options
  }

  public init(client: ScanClient, request: DescribeScansRequest, options: Options = Options()) {
    self.init(client: client, request: request.listRequest, options: options)
  }

  public func makeAsyncIterator() -> Iterator {
    Iterator(state: ListingState(client: client, request: request, options: options))
  }

  public struct Iterator: AsyncIteratorProtocol, Sendable {
    let state: ListingState

    public mutating func next() async throws -> Scan? {
      try await state.next()
    }

    /// The rows ready now, in order: the rest of the page at hand, or the next page's once it is
    /// read; nil at the end. The same rows `next()` would give, without an await for each.
    public mutating func nextRows() async throws -> ArraySlice<Scan>? {
      try await state.nextRows()
    }
  }
}

/// The listing's cursor. Owned by one consumer; the page tasks it starts only return values.
final class ListingState: @unchecked Sendable {
  private let client: ScanClient
  private let request: ListRequest
  private let options: Options
  typealias Options = ScanListing.Options

  private var rows: [Scan] = []
  private var rowIndex = 0
  private var seen = Set<String>()
  private var yielded = 0
  private var duplicates = 0
  /// Rows accepted so far (rows without a key cannot be deduplicated and all count).
  private var unique = 0
  private var pagesRead = 0
  /// The page whose rows are in `rows`; 0 before the first.
  private var cursor = 0
  private var pageSize = 0
  private var firstTotal: Int?
  private var latestTotal: Int?
  private var window: Int
  private var inFlight: [Int: Task<ScanClient.PageResult, any Error>] = [:]
  private var finished = false

  init(client: ScanClient, request: ListRequest, options: Options) {
    self.client = client
    self.request = request
    self.options = options
    self.window = max(1, options.concurrency)
  }

  deinit {
    for task in inFlight.values { task.cancel() }
  }

  func next() async throws -> Scan? {
    while true {
      if let limit = options.limit, yielded >= limit {
        stop()
        return nil
      }
      if rowIndex < rows.count {
        rowIndex += 1
        yielded += 1
        return rows[rowIndex - 1]
      }
      if finished { return nil }
      do {
        try await readNextPage()
      } catch {
        stop()
        throw error
      }
    }
  }

  func nextRows() async throws -> ArraySlice<Scan>? {
    guard try await next() != nil else { return nil }
    let start = rowIndex - 1
    var end = rows.count
    if let limit = options.limit { end = min(end, rowIndex + (limit - yielded)) }
    yielded += end - rowIndex
    rowIndex = end
    return rows[start..<end]
  }

  private func stop() {
    finished = true
    rows = []
    for task in inFlight.values { task.cancel() }
    inFlight = [:]
  }

  /// How many pages the listing needs, from the largest TotalCount seen (rows inserted while reading
  /// push others onto later pages) and the limit.
  private var lastPage: Int? {
    guard let firstTotal else { return nil }
    let total = max(firstTotal, latestTotal ?? firstTotal)
    var pages = (total + pageSize - 1) / pageSize
    if let limit = options.limit { pages = min(pages, (limit + pageSize - 1) / pageSize) }
    return pages
  }

  private func readNextPage() async throws {
    let number = cursor + 1
    let result: ScanClient.PageResult
    if number == 1 {
      var first = request
      first.currentPage = 1
      first.pageSize = options.limit.map { min($0, options.pageSize) } ?? options.pageSize
      result = try await client.list(first, wanted: options.wanted)
      pageSize = max(1, result.page.pageSize ?? first.pageSize ?? options.pageSize)
      firstTotal = result.page.totalCount
    } else {
      launchPages(from: number)
      guard let task = inFlight[number] else {
        finished = true
        return
      }
      result = try await withTaskCancellationHandler {
        try await task.value
      } onCancel: { [inFlight] in
        for task in inFlight.values { task.cancel() }
      }
      inFlight[number] = nil
    }
    cursor = number
    pagesRead += 1
    if result.wasThrottled { window = max(1, window / 2) }
    if let total = result.page.totalCount { latestTotal = total }
    try accept(result.page, number: number)
    client.events(.progress(pages: pagesRead, totalPages: lastPage, rows: unique))
  }

  private func launchPages(from number: Int) {
    guard let lastPage else {
      // The server gave no TotalCount: read one page after another until a short page.
      if inFlight[number] == nil { inFlight[number] = fetch(number) }
      return
    }
    var page = number
    while page <= lastPage, page < number + window {
      if inFlight[page] == nil { inFlight[page] = fetch(page) }
      page += 1
    }
  }

  private func fetch(_ number: Int) -> Task<ScanClient.PageResult, any Error> {
    var pageRequest = request
    pageRequest.currentPage = number
    pageRequest.pageSize = pageSize
    let client = client
    let wanted = options.wanted
    return Task { try await client.list(pageRequest, wanted: wanted) }
  }

  private func accept(_ page: ScanPage, number: Int) throws {
    var fresh: [Scan] = []
    fresh.reserveCapacity(page.scans.count)
    let key = request.resource.key
    for scan in page.scans {
      if let id = scan.values[key]?.text {
        guard seen.insert(id).inserted else {
          duplicates += 1
          continue
        }
      }
      fresh.append(scan)
    }
    unique += fresh.count
    rows = fresh
    rowIndex = 0
    let morePromised = lastPage.map { number < $0 } ?? (page.scans.count >= pageSize)
    if !page.scans.isEmpty, fresh.isEmpty, morePromised {
      throw ScanAPIError.malformedResponse(
        "page \(number) repeated rows already read and added none, though TotalCount promises "
          + "\(latestTotal ?? 0) \(request.resource); stopped instead of reading the same rows again")
    }
    if page.scans.isEmpty || !morePromised {
      finished = true
      warnIfChanged()
    }
  }

  private func warnIfChanged() {
    guard options.limit == nil, let firstTotal else { return }
    let total = latestTotal ?? firstTotal
    let read = unique
    if total != firstTotal || read != total {
      let resource = request.resource
      var message =
        "the \(resource.noun) list changed while it was read: read \(read) \(resource), TotalCount said \(firstTotal)"
      if total != firstTotal { message += " at first and \(total) at the end" }
      if duplicates > 0 { message += " (\(duplicates) repeated \(duplicates == 1 ? "row" : "rows") skipped)" }
      client.events(.warning(message))
    }
  }
}
