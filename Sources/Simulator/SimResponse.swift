/// An answer the simulator has decided on, before it goes on the wire.
struct SimResponse: Sendable {
  var status: Int
  var contentType: String
  var headers: [(String, String)] = []
  var body: [UInt8]
  /// The error code, for the request log and counters; nil on success.
  var code: String?
  /// Whether the configured latency applies (DescribeScans answers, not control calls).
  var delayed = false

  static func json(_ status: Int, _ body: [UInt8]) -> SimResponse {
    SimResponse(status: status, contentType: "application/json;charset=utf-8", body: body)
  }
}
