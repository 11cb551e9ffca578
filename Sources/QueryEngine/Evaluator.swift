import QueryLanguage
import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// An account a statement reads: its name (the `Account` of its rows) and its client.
public struct AccountClient: Sendable {
  public var name: String
  public var client: ScanClient

  public init(name: String, client: ScanClient) {
    self.name = name
    self.client = client
  }
}

/// Turns a plan into a pulled chain of row streams over the paged API or a file.
public struct Evaluator: Sendable {
  /// Accounts read at once; each has its own paging window of `--concurrency` requests.
  public static let maxAccountsAtOnce = AccountsStream.maxAccountsAtOnce

  /// Supplies the accounts' clients when the plan needs the API (demo mode starts its simulator
  /// lazily), in the order they were named.
  public var accounts: @Sendable () async throws -> [AccountClient]
  /// Where relative `load` and `save` paths point; nil for the process's working directory.
  public var directory: URL?

  public init(accounts: @escaping @Sendable () async throws -> [AccountClient], directory: URL? = nil) {
    self.accounts = accounts
    self.directory = directory
  }

  /// One account, named `name`.
  public init(
    client: @escaping @Sendable () async throws -> ScanClient, account name: String = "env", directory: URL? = nil
  ) {
    self.init(accounts: { [AccountClient(name: name, client: try await client())] }, directory: directory)
  }

  /// A path as written, resolved against `directory`.
  public func resolve(_ path: String) -> String {
    guard let directory, !path.hasPrefix("/") else { return path }
    return directory.appendingPathComponent(path).path
  }

  public func open(_ plan: Plan) async throws -> any RowStream {
    var stream: any RowStream
    switch plan.input {
    case .listing(let listings, let options):
      let accounts = try await accounts()
      if accounts.count == 1 {
        stream = ListingStream(
          SourceRows(client: accounts[0].client, account: accounts[0].name, listings: listings, options: options))
      } else {
        stream = AccountsStream(accounts: accounts, listings: listings, options: options)
      }
      return try chain(stream, plan.stages, utc: plan.utc, accounts: accounts, options: options, base: listings[0])
    case .totalCount(let listings, let fallback):
      // One request per account and listing, at once; their TotalCounts add up.
      let accounts = try await accounts()
      let total = try await AccountsStream.gather(accounts) { account in
        var sum = 0
        for listing in listings {
          sum += try await Self.count(listing.request, fallback: fallback, with: account.client)
        }
        return sum
      }
      stream = ArrayStream([Row(values: [.number(Double(total.reduce(0, +)))])])
    case .file(let path, let wanted):
      // The filters right after `load` run where the lines are decoded.
      var filters: [Predicate] = []
      var stages = plan.stages[...]
      while case .filter(let predicate) = stages.first?.stage {
        filters.append(predicate)
        stages = stages.dropFirst()
      }
      do {
        stream = FileStream(try ScanFileReader(path: resolve(path), wanted: wanted), filters: filters)
      } catch var failure as ScanFileReader.Failure {
        failure.path = path
        throw failure
      }
      return try chain(stream, Array(stages), utc: plan.utc)
    }
    return try chain(stream, plan.stages, utc: plan.utc)
  }

  /// `count` over pushed filters: the answer's TotalCount, or when a server leaves it out, the
  /// rows paging through yields.
  static func count(
    _ request: ListRequest, fallback: ScanListing.Options, with client: ScanClient
  ) async throws -> Int {
    let page = try await client.list(request, wanted: FieldSet(indices: [request.resource.key])).page
    if let total = page.totalCount { return total }
    var listed = request
    listed.currentPage = nil
    listed.pageSize = nil
    var rows = 0
    for try await _ in ScanListing(client: client, request: listed, options: fallback) { rows += 1 }
    return rows
  }

  /// Wires the client-side stages after a source; relations and details read through the
  /// accounts' clients.
  func chain(
    _ source: any RowStream, _ stages: [PlannedStage], utc: Bool = false, accounts: [AccountClient] = [],
    options: ScanListing.Options = .init(), base: PlannedListing? = nil
  ) throws -> any RowStream {
    var stream = source
    let clients = Dictionary(accounts.map { ($0.name, $0.client) }, uniquingKeysWith: { first, _ in first })
    let (lang, sourceIp) = (base?.request["Lang"], base?.request["SourceIp"])
    let cache = DetailCache()
    func details(_ stream: any RowStream) -> any RowStream {
      DetailsStream(
        stream, clients: clients, window: options.concurrency, lang: lang, sourceIp: sourceIp, cache: cache)
    }
    for (index, planned) in stages.enumerated() {
      if planned.detailsFirst { stream = details(stream) }
      switch planned.stage {
      case .related(let child):
        var request = ListRequest(resource: child)
        request["Lang"] = lang
        request["SourceIp"] = sourceIp
        stream = RelatedStream(
          stream, parent: planned.input.resource, child: child, clients: clients, base: request, options: options)
      case .details:
        stream = details(stream)
      case .filter(let predicate): stream = FilterStream(stream, predicate)
      case .sort(let keys):
        var limit: Int?
        if index + 1 < stages.count, case .first(let count) = stages[index + 1].stage { limit = count }
        stream = SortStream(stream, keys: keys, limit: limit)
      case .select(let columns): stream = SelectStream(stream, columns)
      case .first(let count): stream = FirstStream(stream, count)
      case .count: stream = CountStream(stream)
      case .group(let group): stream = GroupStream(stream, group: group, utc: utc)
      case .distinct(let columns): stream = DistinctStream(stream, columns: columns)
      case .diff(let path, let keys):
        stream = DiffStream(stream, path: resolve(path), shownPath: path, columns: planned.input.columns, keys: keys)
      case .expect(let check): stream = ExpectStream(stream, check: check, columns: planned.input.columns)
      case .save(let path): stream = try SaveStream(stream, path: resolve(path), columns: planned.input.columns)
      case .format, .watch, .report, .exec, .post, .notify: continue
      }
    }
    return stream
  }
}
