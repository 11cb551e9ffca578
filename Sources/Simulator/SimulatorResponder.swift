import HTTPTypes
import Hummingbird
import NIOCore
import ScanAPI

/// Routes HTTP requests: `/` is DescribeScans (GET or POST), `/_sim/` the control API.
struct SimulatorResponder: HTTPResponder {
  typealias Context = SimulatorRequestContext

  let core: SimulatorCore
  let configuration: SimulatorConfiguration

  func respond(to request: Request, context: Context) async throws -> Response {
    let path = request.uri.path
    if path == "/_sim" || path.hasPrefix("/_sim/") {
      guard context.isLoopback else {
        return Self.plain(.forbidden, "{\"error\":\"the control API answers loopback clients only\"}")
      }
      return await ControlAPI(core: core).respond(method: request.method, path: path, query: request.uri.query ?? "")
    }
    if path.hasPrefix("/latest/") {
      return Self.response(await core.metadata(method: request.method.rawValue, path: path))
    }
    if path.hasPrefix("/reports/"), request.method == .get {
      let query = Dictionary(
        (PercentEncoding.decodePairs(Substring(request.uri.query ?? ""), plusIsSpace: true) ?? []),
        uniquingKeysWith: { $1 })
      let answer = await core.reportDownload(path: path, query: query)
      if answer.delayed { try await delay() }
      return Self.response(answer)
    }
    let encoder = ResponseEncoder(format: .json, flat: configuration.flat)
    func reject(_ status: Int, _ code: String, _ message: String) -> Response {
      Self.response(
        encoder.error(status: status, code: code, message: message, requestId: "00000000-0000-0000-0000-000000000000"))
    }
    guard path == "/" else {
      return reject(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    }
    guard request.method == .get || request.method == .post else {
      return reject(405, "UnsupportedHTTPMethod", "This http method is not supported.")
    }
    guard var parameters = PercentEncoding.decodePairs(Substring(request.uri.query ?? ""), plusIsSpace: true) else {
      return reject(400, "InvalidParameter", "The query string is not valid percent-encoded UTF-8.")
    }
    if request.method == .post {
      let body: ByteBuffer
      do {
        body = try await request.body.collect(upTo: configuration.maxRequestBody)
      } catch is NIOTooManyBytesError {
        return reject(
          413, "RequestEntityTooLarge", "The request body is larger than \(configuration.maxRequestBody) bytes.")
      }
      let text = String(buffer: body)
      guard let form = PercentEncoding.decodePairs(Substring(text), plusIsSpace: true),
        text.utf8.count == body.readableBytes
      else {
        return reject(400, "InvalidParameter", "The request body is not a valid form.")
      }
      parameters += form
    }
    if parameters.contains(where: { $0.0 == "Action" && $0.1.hasPrefix("AssumeRole") }) {
      return Self.response(await core.sts(method: request.method.rawValue, parameters: parameters))
    }
    let answer = await core.describeScans(
      method: request.method.rawValue, parameters: parameters, host: request.head.authority)
    if answer.delayed { try await delay() }
    return Self.response(answer)
  }

  private func delay() async throws {
    var pause = configuration.latency
    if configuration.jitter > .zero {
      let spread = Int(configuration.jitter / .microseconds(1))
      pause += .microseconds(Int.random(in: 0...spread))
    }
    if pause > .zero { try await Task.sleep(for: pause) }
  }

  static func response(_ answer: SimResponse) -> Response {
    var headers: HTTPFields = [.contentType: answer.contentType]
    for (name, value) in answer.headers {
      if let field = HTTPField.Name(name) { headers[field] = value }
    }
    return Response(
      status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
  }

  static func plain(_ status: HTTPResponse.Status, _ json: String) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(string: json + "\n")))
  }
}
