/// How a listing is paged, as a state machine with no I/O: told that the listing starts, that a
/// page arrived, or that the consumer wants rows, it says what to do next (fetch these pages, give
/// these rows, wait, end). `ScanListing` runs it; the tests step it by hand.
///
/// Page 1 goes alone at the largest page size: its TotalCount (and the page size the server
/// echoes) tells how many pages there are. The rest are fetched concurrently, at most `window` in
/// flight and at most `2 × window` ahead of the consumer, a new one as soon as one arrives, so the
/// window stays full while the consumer works; rows are given in page order, each key once.
/// Without a TotalCount, pages go one after another until a short one.
public struct Paging: Sendable {
  public struct Options: Sendable, Equatable {
    /// The page size asked for; the server's echo rules when smaller.
    public var pageSize: Int
    public var concurrency: Int
    /// Stop after this many rows (a `first N` with only pushed filters before it).
    public var limit: Int?

    public init(pageSize: Int = 100, concurrency: Int = 8, limit: Int? = nil) {
      self.pageSize = pageSize
      self.concurrency = concurrency
      self.limit = limit
    }

    /// Page 1's size: the largest, or the limit when that is smaller. `explain` shows it.
    public var firstPageSize: Int { limit.map { min($0, pageSize) } ?? pageSize }

    /// The pages a listing of `total` rows reads: ⌈total / pageSize⌉, or fewer for a limit.
    public func pages(total: Int, pageSize: Int) -> Int {
      var pages = (total + pageSize - 1) / pageSize
      if let limit { pages = min(pages, (limit + pageSize - 1) / pageSize) }
      return pages
    }
  }

  /// A page to fetch, and at which size.
  public struct Fetch: Sendable, Equatable {
    public var page: Int
    public var size: Int

    public init(page: Int, size: Int) {
      self.page = page
      self.size = size
    }
  }

  /// What the consumer gets when it asks.
  public enum Next: Sendable {
    /// The next page's rows not seen before (perhaps none).
    case rows([Scan])
    /// The next page has not arrived.
    case wait
    /// Nothing more.
    case end
  }

  /// A page as it arrived.
  public struct Arrival: Sendable {
    public var page: ScanPage
    public var wasThrottled: Bool

    public init(page: ScanPage, wasThrottled: Bool) {
      self.page = page
      self.wasThrottled = wasThrottled
    }
  }

  public let options: Options
  private let resource: Resource
  private var window: Int
  /// The page size in force (page 1's echo); 0 before page 1 arrives.
  private var pageSize = 0
  private var firstTotal: Int?
  private var latestTotal: Int?
  /// The last page given to the consumer; 0 before the first.
  private var cursor = 0
  /// The next page not yet asked for.
  private var nextPage = 1
  private var inFlight: Set<Int> = []
  private var arrived: [Int: Arrival] = [:]
  private var seen = Set<String>()
  private var duplicates = 0
  /// Rows given (rows without a key cannot be deduplicated and all count).
  private var given = 0
  private var finished = false
  /// Set as the last page is given, when the list changed while it was read.
  private var warning: String?

  public init(resource: Resource, options: Options) {
    self.resource = resource
    self.options = options
    window = max(1, options.concurrency)
  }

  /// Pages read so far, and how many there will be once page 1 has said.
  public var progress: (pages: Int, totalPages: Int?, rows: Int) { (cursor, lastPage, given) }

  /// How many pages the listing needs, from the largest TotalCount seen (rows inserted while
  /// reading push others onto later pages) and the limit; nil before page 1 or without a total.
  private var lastPage: Int? {
    guard let firstTotal, pageSize > 0 else { return nil }
    return options.pages(total: max(firstTotal, latestTotal ?? firstTotal), pageSize: pageSize)
  }

  /// The listing starts: page 1, alone.
  public mutating func start() -> [Fetch] {
    guard nextPage == 1, !finished else { return [] }
    nextPage = 2
    inFlight.insert(1)
    return [Fetch(page: 1, size: options.firstPageSize)]
  }

  /// A page arrived: kept until the consumer reaches it; the pages to fetch now.
  public mutating func received(_ arrival: Arrival, page number: Int) -> [Fetch] {
    inFlight.remove(number)
    guard !finished else { return [] }
    if number == 1 {
      pageSize = max(1, arrival.page.pageSize ?? options.firstPageSize)
      firstTotal = arrival.page.totalCount
    }
    if arrival.wasThrottled { window = max(1, window / 2) }
    arrived[number] = arrival
    return launches()
  }

  /// The consumer wants the next page's rows. A page it repeats entirely (the server going round
  /// the same page) is an error.
  public mutating func next() throws(ScanAPIError) -> (Next, [Fetch]) {
    if finished { return (.end, []) }
    if let limit = options.limit, given >= limit { return (finish(), []) }
    let number = cursor + 1
    guard let arrival = arrived.removeValue(forKey: number) else { return (.wait, launches()) }
    cursor = number
    if let total = arrival.page.totalCount { latestTotal = total }
    var fresh: [Scan] = []
    fresh.reserveCapacity(arrival.page.scans.count)
    for scan in arrival.page.scans {
      if let id = scan.values[resource.key]?.text {
        guard seen.insert(id).inserted else {
          duplicates += 1
          continue
        }
      }
      fresh.append(scan)
    }
    let morePromised = lastPage.map { number < $0 } ?? (arrival.page.scans.count >= pageSize)
    if !arrival.page.scans.isEmpty, fresh.isEmpty, morePromised {
      finished = true
      throw ScanAPIError.malformedResponse(
        "page \(number) repeated rows already read and added none, though TotalCount promises "
          + "\(latestTotal ?? 0) \(resource); stopped instead of reading the same rows again")
    }
    if let limit = options.limit, given + fresh.count > limit { fresh.removeLast(given + fresh.count - limit) }
    given += fresh.count
    if arrival.page.scans.isEmpty || !morePromised {
      // The rows are given first; the next ask ends the listing.
      finished = true
      warning = changeWarning()
      return (.rows(fresh), [])
    }
    return (.rows(fresh), launches())
  }

  private mutating func finish() -> Next {
    finished = true
    arrived = [:]
    return .end
  }

  /// Pages to fetch now: with a known page count, enough to keep `window` in flight, no further
  /// than `2 × window` ahead of the consumer; without one, the next page once the consumer has
  /// the one before.
  private mutating func launches() -> [Fetch] {
    guard !finished, pageSize > 0 else { return [] }
    var fetches: [Fetch] = []
    if let lastPage {
      while nextPage <= lastPage, inFlight.count < window, nextPage <= cursor + 2 * window {
        fetches.append(Fetch(page: nextPage, size: pageSize))
        inFlight.insert(nextPage)
        nextPage += 1
      }
    } else if inFlight.isEmpty, arrived.isEmpty, nextPage == cursor + 1 {
      fetches.append(Fetch(page: nextPage, size: pageSize))
      inFlight.insert(nextPage)
      nextPage += 1
    }
    return fetches
  }

  /// Whether the consumer has something to take now (a page, or the end).
  public var isReady: Bool { finished || arrived[cursor + 1] != nil || limitReached }

  private var limitReached: Bool { options.limit.map { given >= $0 } ?? false }

  /// Pages asked for and not yet arrived.
  public var pagesInFlight: Set<Int> { inFlight }

  /// The warning for a listing that read other than its TotalCount said (nil for one cut short by
  /// a limit).
  private func changeWarning() -> String? {
    guard options.limit == nil, let firstTotal else { return nil }
    let total = latestTotal ?? firstTotal
    guard total != firstTotal || given != total else { return nil }
    var message =
      "the \(resource.noun) list changed while it was read: read \(given) \(resource), TotalCount said \(firstTotal)"
    if total != firstTotal { message += " at first and \(total) at the end" }
    if duplicates > 0 { message += " (\(duplicates) repeated \(duplicates == 1 ? "row" : "rows") skipped)" }
    return message
  }

  /// The change warning, once, as the last page is given.
  public mutating func takeWarning() -> String? {
    defer { warning = nil }
    return warning
  }
}
