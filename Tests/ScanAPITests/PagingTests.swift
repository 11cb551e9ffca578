import ScanAPI
import Testing
import Vocabulary

/// The paging state machine stepped by hand: no server, no clock, every decision visible.
struct PagingTests {
  static func page(_ ids: ClosedRange<Int>, total: Int?, size: Int = 10) -> Paging.Arrival {
    let scans = ids.map { Scan([.scanId: .string("s\($0)")]) }
    return Paging.Arrival(page: ScanPage(totalCount: total, pageSize: size, scans: scans), wasThrottled: false)
  }

  static func ids(_ next: Paging.Next) -> [String] {
    guard case .rows(let rows) = next else { return [] }
    return rows.compactMap(\.scanId)
  }

  @Test func pageOneAloneThenTheWindowKeptFullAsPagesArrive() throws {
    var paging = Paging(resource: .scans, options: .init(pageSize: 10, concurrency: 3))
    #expect(paging.start() == [.init(page: 1, size: 10)])
    #expect(paging.start() == [])
    // Page 1 says 100 rows: pages 2-4 go at once.
    #expect(paging.received(Self.page(1...10, total: 100), page: 1).map(\.page) == [2, 3, 4])
    // Page 3 arrives before 2: page 5 goes at once, before the consumer has read anything.
    #expect(paging.received(Self.page(21...30, total: 100), page: 3).map(\.page) == [5])
    let (first, _) = try paging.next()
    #expect(Self.ids(first).count == 10)
    // Page 2 is not here: the consumer waits.
    let (second, _) = try paging.next()
    guard case .wait = second else {
      Issue.record("expected to wait for page 2")
      return
    }
    #expect(paging.received(Self.page(11...20, total: 100), page: 2).map(\.page) == [6])
    #expect(Self.ids(try paging.next().0) == (11...20).map { "s\($0)" })
    #expect(Self.ids(try paging.next().0) == (21...30).map { "s\($0)" })
    #expect(paging.pagesInFlight == [4, 5, 6])
  }

  @Test func noFurtherThanTwoWindowsAheadOfTheConsumer() {
    var paging = Paging(resource: .scans, options: .init(pageSize: 10, concurrency: 2))
    _ = paging.start()
    var launched = paging.received(Self.page(1...10, total: 1_000), page: 1).map(\.page)
    // The consumer reads nothing; pages arrive as fast as they are asked for.
    var page = 2
    while let next = launched.first {
      launched.removeFirst()
      launched += paging.received(Self.page(page * 10 - 9...page * 10, total: 1_000), page: next).map(\.page)
      page += 1
    }
    // Page 1 arrived but is not read: pages 2...4 (2 × window ahead of page 0) and no more.
    #expect(page == 5)
  }

  @Test func throttlingHalvesTheWindow() {
    var paging = Paging(resource: .scans, options: .init(pageSize: 10, concurrency: 8))
    _ = paging.start()
    var throttled = Self.page(1...10, total: 1_000)
    throttled.wasThrottled = true
    #expect(paging.received(throttled, page: 1).map(\.page) == [2, 3, 4, 5])
  }

  @Test func withoutATotalOnePageAfterAnotherUntilAShortOne() throws {
    var paging = Paging(resource: .scans, options: .init(pageSize: 10, concurrency: 8))
    _ = paging.start()
    #expect(paging.received(Self.page(1...10, total: nil), page: 1) == [])
    let (rows, fetches) = try paging.next()
    #expect(Self.ids(rows).count == 10)
    #expect(fetches == [.init(page: 2, size: 10)])
    _ = paging.received(Self.page(11...13, total: nil), page: 2)
    let (last, more) = try paging.next()
    #expect(Self.ids(last).count == 3)
    #expect(more == [])
    guard case .end = try paging.next().0 else {
      Issue.record("expected the end after a short page")
      return
    }
  }

  @Test func aLimitAsksForItsPagesOnlyAndCutsTheLast() throws {
    var paging = Paging(resource: .scans, options: .init(pageSize: 10, concurrency: 8, limit: 15))
    #expect(paging.start() == [.init(page: 1, size: 10)])
    #expect(paging.received(Self.page(1...10, total: 100), page: 1).map(\.page) == [2])
    _ = paging.received(Self.page(11...20, total: 100), page: 2)
    #expect(Self.ids(try paging.next().0).count == 10)
    #expect(Self.ids(try paging.next().0) == ["s11", "s12", "s13", "s14", "s15"])
    guard case .end = try paging.next().0 else {
      Issue.record("expected the end at the limit")
      return
    }
  }

  @Test func repeatedRowsAreSkippedAndAWholeRepeatedPageStops() throws {
    var paging = Paging(resource: .scans, options: .init(pageSize: 10, concurrency: 2))
    _ = paging.start()
    _ = paging.received(Self.page(1...10, total: 40), page: 1)
    _ = paging.received(Self.page(6...15, total: 40), page: 2)
    _ = paging.received(Self.page(6...15, total: 40), page: 3)
    #expect(Self.ids(try paging.next().0).count == 10)
    #expect(Self.ids(try paging.next().0) == (11...15).map { "s\($0)" })
    #expect(throws: ScanAPIError.self) { try paging.next() }
  }

  @Test func theFirstPageSizeIsTheLimitWhenSmaller() {
    #expect(Paging.Options(pageSize: 100, limit: 5).firstPageSize == 5)
    #expect(Paging.Options(pageSize: 100, limit: 500).firstPageSize == 100)
    #expect(Paging.Options(pageSize: 100).firstPageSize == 100)
    #expect(Paging.Options(pageSize: 50, limit: 120).pages(total: 10_000, pageSize: 50) == 3)
  }
}
