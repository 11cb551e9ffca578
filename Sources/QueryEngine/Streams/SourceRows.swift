import ScanAPI
import Vocabulary

/// One account's rows of a plan's listings, a page at a time, each row marked with the account and
/// the values its request implies (`PlannedListing.stamps`). Several listings (one per severity)
/// are read at once and merged newest first by `LastDiscoveredAt`, as one listing would give them.
final class SourceRows {
  private var iterators: [ScanListing.Iterator]
  private let stamps: [[(column: Int, value: FieldValue)]]
  private let account: FieldValue
  private let accountColumn: Int
  /// For a merge: each listing's rows not yet handed out.
  private var heads: [ArraySlice<Scan>?]
  private var exhausted: [Bool]
  private let mergeColumn: Int?

  init(client: ScanClient, account: String, listings: [PlannedListing], options: ScanListing.Options) {
    iterators = listings.map {
      ScanListing(client: client, request: $0.request, options: options).makeAsyncIterator()
    }
    stamps = listings.map(\.stamps)
    self.account = .string(account)
    let resource = listings.first?.request.resource ?? .scans
    accountColumn = resource.account
    heads = Array(repeating: nil, count: listings.count)
    exhausted = Array(repeating: false, count: listings.count)
    mergeColumn = listings.count > 1 ? resource.index(of: "LastDiscoveredAt") : nil
  }

  private func mark(_ scan: Scan, _ listing: Int) -> Row {
    var values = scan.values
    values[accountColumn] = account
    for stamp in stamps[listing] where values[stamp.column] == nil { values[stamp.column] = stamp.value }
    return Row(values: values)
  }

  /// The next rows in order; nil at the end.
  func nextRows() async throws -> [Row]? {
    if iterators.count == 1 {
      guard let page = try await iterators[0].nextRows() else { return nil }
      return page.map { mark($0, 0) }
    }
    return try await nextMerged()
  }

  /// Rows of several listings, newest first: each listing's next page is fetched once its rows are
  /// used up, and a row is handed out only when every listing's head has been compared with it.
  private func nextMerged() async throws -> [Row]? {
    try await withThrowingTaskGroup(of: (Int, ArraySlice<Scan>?).self) { group in
      for index in iterators.indices where !exhausted[index] && (heads[index]?.isEmpty ?? true) {
        let listing = iterators[index]
        group.addTask {
          var iterator = listing
          return (index, try await iterator.nextRows())
        }
      }
      for try await (index, page) in group {
        if let page { heads[index] = page } else { exhausted[index] = true }
      }
    }
    var rows: [Row] = []
    while true {
      var best: Int?
      for index in heads.indices {
        guard let head = heads[index] else { continue }
        guard let first = head.first else {
          if !exhausted[index] { return rows.isEmpty ? try await nextMerged() : rows }
          continue
        }
        if let current = best, let mergeColumn {
          let left = first.values[mergeColumn]?.numberValue ?? 0
          let right = heads[current]!.first!.values[mergeColumn]?.numberValue ?? 0
          if left > right { best = index }
        } else if best == nil {
          best = index
        }
      }
      guard let chosen = best else { return rows.isEmpty ? nil : rows }
      rows.append(mark(heads[chosen]!.removeFirst(), chosen))
    }
  }
}
