import Foundation
import QueryLanguage
import ScanAPI
import Vocabulary

/// Turns a plan into a pulled chain of row streams over the paged API or a file.
public struct Evaluator: Sendable {
  /// Supplies the client when the plan needs the API (demo mode starts its simulator lazily).
  public var client: @Sendable () async throws -> ScanClient
  /// Where relative `load` and `save` paths point; nil for the process's working directory.
  public var directory: URL?

  public init(client: @escaping @Sendable () async throws -> ScanClient, directory: URL? = nil) {
    self.client = client
    self.directory = directory
  }

  /// A path as written, resolved against `directory`.
  public func resolve(_ path: String) -> String {
    guard let directory, !path.hasPrefix("/") else { return path }
    return directory.appendingPathComponent(path).path
  }

  public func open(_ plan: Plan) async throws -> any RowStream {
    var stream: any RowStream
    switch plan.input {
    case .listing(let request, let options):
      stream = ListingStream(ScanListing(client: try await client(), request: request, options: options))
    case .totalCount(let request, let fallback):
      let client = try await client()
      let page = try await client.describeScans(request, wanted: FieldSet([.scanId])).page
      if let total = page.totalCount {
        stream = ArrayStream([Row(values: [.number(Double(total))])])
      } else {
        // No TotalCount to trust: count what paging through yields.
        var listed = request
        listed.currentPage = nil
        listed.pageSize = nil
        stream = CountStream(ListingStream(ScanListing(client: client, request: listed, options: fallback)))
      }
    case .file(let path, let wanted):
      do {
        stream = FileStream(try ScanFileReader(path: resolve(path), wanted: wanted))
      } catch var failure as ScanFileReader.Failure {
        failure.path = path
        throw failure
      }
    }
    return try chain(stream, plan.stages, utc: plan.utc)
  }

  /// Wires the client-side stages after a source.
  func chain(_ source: any RowStream, _ stages: [PlannedStage], utc: Bool = false) throws -> any RowStream {
    var stream = source
    for (index, planned) in stages.enumerated() {
      switch planned.stage {
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
      case .diff(let path, let key):
        stream = DiffStream(stream, path: resolve(path), shownPath: path, columns: planned.input.columns, key: key)
      case .expect(let check): stream = ExpectStream(stream, check: check, columns: planned.input.columns)
      case .save(let path): stream = try SaveStream(stream, path: resolve(path), columns: planned.input.columns)
      case .format, .watch: continue
      }
    }
    return stream
  }
}
