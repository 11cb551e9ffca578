import ScanAPI
import Synchronization
import Vocabulary

/// Several accounts as one listing: each account is read concurrently with its own paging window
/// and throttling state, at most `maxAccountsAtOnce` of them at a time (so `--concurrency` requests
/// per account stay a reasonable total), and rows come out grouped by account in the order the
/// accounts were named. Rows of an account not yet reached wait in memory.
///
/// Each account's task also sets the row's `Account` and, once the consumer asks for it, makes
/// the row's printed text (`RendersAhead`).
///
/// An account that fails does not stop the others: their rows still come, and at the end the
/// failure is thrown, naming the account, so `expect`, `watch … until` and `save` never take
/// partial data for a whole.
final class AccountsStream: RendersAhead {
  static let maxAccountsAtOnce = 4

  private typealias Rendered = (row: Row, text: String?)

  private let names: [String]
  /// Each account's rows, handed over a page at a time.
  private var streams: [AsyncThrowingStream<[Rendered], any Error>]
  private var tasks: [Task<Void, Never>] = []
  private let renderer = Renderer()
  private var index = 0
  private var iterator: AsyncThrowingStream<[Rendered], any Error>.AsyncIterator?
  private var page: [Rendered] = []
  private var pageIndex = 0
  private var failure: EvaluationError?

  init(accounts: [AccountClient], listings: [PlannedListing], options: ScanListing.Options) {
    names = accounts.map(\.name)
    let gate = AccountGate(permits: Self.maxAccountsAtOnce)
    let renderer = renderer
    var streams: [AsyncThrowingStream<[Rendered], any Error>] = []
    for account in accounts {
      let (stream, continuation) = AsyncThrowingStream<[Rendered], any Error>.makeStream()
      streams.append(stream)
      tasks.append(
        Task {
          await gate.enter()
          defer { Task { await gate.leave() } }
          do {
            let rows = SourceRows(client: account.client, account: account.name, listings: listings, options: options)
            while let ready = try await rows.nextRows() {
              let text = renderer.text
              continuation.yield(ready.map { row in (row, text?(row)) })
            }
            continuation.finish()
          } catch {
            continuation.finish(throwing: error)
          }
        })
    }
    self.streams = streams
  }

  deinit { for task in tasks { task.cancel() } }

  func renderAhead(_ text: @escaping @Sendable (Row) -> String) {
    renderer.text = text
  }

  func next() async throws -> Row? {
    try await nextRendered()?.row
  }

  func nextRendered() async throws -> (row: Row, text: String?)? {
    while index < streams.count {
      if pageIndex < page.count {
        pageIndex += 1
        return page[pageIndex - 1]
      }
      if iterator == nil { iterator = streams[index].makeAsyncIterator() }
      do {
        if let next = try await iterator!.next() {
          page = next
          pageIndex = 0
          continue
        }
      } catch let error as ScanAPIError {
        // The first failure is the one reported; the other accounts go on.
        failure = failure ?? .accountFailed(account: names[index], error)
      }
      index += 1
      iterator = nil
    }
    if let failure { throw failure }
    return nil
  }

  func finish() async throws {
    for task in tasks { task.cancel() }
  }

  /// Runs `body` for every account at once and collects the results in account order; the first
  /// account to fail names the failure.
  static func gather<T: Sendable>(
    _ accounts: [AccountClient], _ body: @escaping @Sendable (AccountClient) async throws -> T
  ) async throws -> [T] {
    try await withThrowingTaskGroup(of: (Int, Result<T, any Error>).self) { group in
      for (index, account) in accounts.enumerated() {
        group.addTask {
          do { return (index, .success(try await body(account))) } catch { return (index, .failure(error)) }
        }
      }
      var results = [Result<T, any Error>?](repeating: nil, count: accounts.count)
      for try await (index, result) in group { results[index] = result }
      return try results.enumerated().map { index, result in
        switch result! {
        case .success(let value): return value
        case .failure(let error as ScanAPIError) where accounts.count > 1:
          throw EvaluationError.accountFailed(account: accounts[index].name, error)
        case .failure(let error): throw error
        }
      }
    }
  }
}

/// The text maker the consumer hands the account tasks, once it knows its format.
private final class Renderer: Sendable {
  // In a struct: a bare function value read and written back through the lock would be wrapped
  // in one more reabstraction thunk at every access.
  private struct Maker: Sendable {
    var text: (@Sendable (Row) -> String)?
  }

  private let maker = Mutex(Maker())

  var text: (@Sendable (Row) -> String)? {
    get { maker.withLock { $0 }.text }
    set { maker.withLock { $0.text = newValue } }
  }
}

/// At most `permits` accounts read at once.
private actor AccountGate {
  private var permits: Int
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(permits: Int) { self.permits = permits }

  func enter() async {
    if permits > 0 {
      permits -= 1
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  func leave() {
    if waiting.isEmpty { permits += 1 } else { waiting.removeFirst().resume() }
  }
}
