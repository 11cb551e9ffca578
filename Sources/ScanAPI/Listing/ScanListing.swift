import Synchronization

/// Every row matching a listing request (scans, runs or findings), read page by page as `Paging`
/// says: page 1 at the largest page size, then the remaining pages concurrently, yielded in page
/// order and deduplicated by the resource's key (ScanId, TaskId, Id). Iteration is pulled: pages
/// are fetched a bounded distance ahead of the consumer, and a consumer that stops or is cancelled
/// cancels what is in flight.
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

    public var paging: Paging.Options { Paging.Options(pageSize: pageSize, concurrency: concurrency, limit: limit) }
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
    Iterator(driver: ListingDriver(client: client, request: request, options: options))
  }

  /// One consumer's cursor. Copies share the listing (as an AsyncStream's iterators do) but each
  /// keeps the rest of its own page.
  public struct Iterator: AsyncIteratorProtocol, Sendable {
    let driver: ListingDriver
    private var rows: ArraySlice<Scan> = []

    init(driver: ListingDriver) { self.driver = driver }

    public mutating func next() async throws -> Scan? {
      while rows.isEmpty {
        guard let page = try await driver.nextPage() else { return nil }
        rows = page[...]
      }
      return rows.popFirst()
    }

    /// The rows ready now, in order: the rest of the page at hand, or the next page's once it is
    /// read; nil at the end. The same rows `next()` would give, without an await for each.
    public mutating func nextRows() async throws -> ArraySlice<Scan>? {
      while rows.isEmpty {
        guard let page = try await driver.nextPage() else { return nil }
        rows = page[...]
      }
      defer { rows = [] }
      return rows
    }
  }
}

/// Runs one listing's `Paging`: starts the fetches it asks for, tells it of each page the moment
/// the page arrives (so the next fetch starts then, not when the consumer gets round to it), and
/// hands the consumer its pages in order. The machine decides; this only does the I/O.
final class ListingDriver: Sendable {
  private struct State {
    var paging: Paging
    var started = false
    var cancelled = false
    var tasks: [Int: Task<Void, Never>] = [:]
    /// A page whose fetch failed: its error is the consumer's when it reaches that page, after the
    /// rows before it.
    var failures: [Int: any Error] = [:]
    var waiter: CheckedContinuation<Void, Never>?
  }

  private let client: ScanClient
  private let request: ListRequest
  private let wanted: FieldSet
  private let state: Mutex<State>

  init(client: ScanClient, request: ListRequest, options: ScanListing.Options) {
    self.client = client
    self.request = request
    wanted = options.wanted
    state = Mutex(State(paging: Paging(resource: request.resource, options: options.paging)))
  }

  deinit {
    state.withLock { state in
      for task in state.tasks.values { task.cancel() }
    }
  }

  private enum Step {
    case rows([Scan], progress: (pages: Int, totalPages: Int?, rows: Int), warning: String?)
    case wait
    case end
  }

  /// The next page's new rows (perhaps none); nil at the end.
  func nextPage() async throws -> [Scan]? {
    while true {
      let step = try state.withLock { state throws -> Step in
        if state.cancelled { throw CancellationError() }
        if !state.started {
          state.started = true
          launch(state.paging.start(), into: &state)
        }
        if let failure = state.failures[state.paging.progress.pages + 1] {
          stop(&state)
          throw failure
        }
        let (next, fetches): (Paging.Next, [Paging.Fetch])
        do {
          (next, fetches) = try state.paging.next()
        } catch {
          stop(&state)
          throw error
        }
        launch(fetches, into: &state)
        switch next {
        case .rows(let rows): return .rows(rows, progress: state.paging.progress, warning: state.paging.takeWarning())
        case .wait: return .wait
        case .end:
          stop(&state)
          return .end
        }
      }
      switch step {
      case .rows(let rows, let progress, let warning):
        if let warning { client.events(.warning(warning)) }
        client.events(.progress(pages: progress.pages, totalPages: progress.totalPages, rows: progress.rows))
        return rows
      case .end:
        return nil
      case .wait:
        await waitForPage()
      }
    }
  }

  /// Sleeps until a page arrives or fails, or the consumer is cancelled.
  private func waitForPage() async {
    await withTaskCancellationHandler {
      await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
        let ready = state.withLock { state -> Bool in
          if state.cancelled || state.paging.isReady || state.failures[state.paging.progress.pages + 1] != nil {
            return true
          }
          state.waiter = waiter
          return false
        }
        if ready { waiter.resume() }
      }
    } onCancel: {
      let waiter = state.withLock { state in
        state.cancelled = true
        stop(&state)
        defer { state.waiter = nil }
        return state.waiter
      }
      waiter?.resume()
    }
  }

  private func launch(_ fetches: [Paging.Fetch], into state: inout State) {
    for fetch in fetches {
      var pageRequest = request
      pageRequest.currentPage = fetch.page
      pageRequest.pageSize = fetch.size
      state.tasks[fetch.page] = Task { [client, wanted] in
        let outcome: Result<ScanClient.PageResult, any Error>
        do {
          outcome = .success(try await client.list(pageRequest, wanted: wanted))
        } catch {
          outcome = .failure(error)
        }
        self.arrived(outcome, page: fetch.page)
      }
    }
  }

  private func arrived(_ outcome: Result<ScanClient.PageResult, any Error>, page: Int) {
    let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
      state.tasks[page] = nil
      switch outcome {
      case .success(let result):
        let arrival = Paging.Arrival(page: result.page, wasThrottled: result.wasThrottled)
        launch(state.paging.received(arrival, page: page), into: &state)
      case .failure(let error):
        state.failures[page] = error
      }
      defer { state.waiter = nil }
      return state.waiter
    }
    waiter?.resume()
  }

  /// The listing is over (ended, failed or abandoned): what is in flight is cancelled.
  private func stop(_ state: inout State) {
    for task in state.tasks.values { task.cancel() }
    state.tasks = [:]
  }
}
