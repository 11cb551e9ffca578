/// Counters and the request log `/_sim/stats` and `/_sim/log` show. Signatures, nonces and
/// tokens are never kept.
struct RequestLog: Sendable {
  static let maxEntries = 10_000

  struct Stats: Sendable {
    var requests = 0
    /// DescribeScans calls answered with data.
    var describeScans = 0
    /// Calls answered with data, by operation.
    var byAction: [String: Int] = [:]
    var byCode: [String: Int] = [:]
  }

  struct Entry: Sendable {
    var sequence: Int
    var method: String
    var parameters: [(String, String)]
    var status: Int
    var code: String?
  }

  private(set) var stats = Stats()
  private(set) var entries: [Entry] = []

  mutating func countRequest() { stats.requests += 1 }

  mutating func countAnswered(_ action: String) {
    if action == "DescribeScans" { stats.describeScans += 1 }
    stats.byAction[action, default: 0] += 1
  }

  mutating func record(method: String, pairs: [(String, String)], status: Int, code: String?) {
    if let code { stats.byCode[code, default: 0] += 1 }
    let kept = pairs.filter { !["Signature", "SignatureNonce", "SecurityToken"].contains($0.0) }
    entries.append(Entry(sequence: stats.requests, method: method, parameters: kept, status: status, code: code))
    if entries.count > Self.maxEntries { entries.removeFirst(entries.count - Self.maxEntries) }
  }

  mutating func clearEntries() { entries = [] }
}
