import Foundation
import ScanAPI
import Synchronization

/// A transport double that answers from a script and records each request: for unit tests of
/// the client's request building, retries and error mapping, without a network.
public final class ScriptedTransport: HTTPTransport, Sendable {
  public enum Reply: Sendable {
    case response(HTTPResponse)
    case failure(TransportError)
  }

  private let state: Mutex<(replies: [Reply], requests: [HTTPRequest])>

  public init(_ replies: [Reply]) {
    state = Mutex((replies, []))
  }

  public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    let reply = state.withLock { state -> Reply? in
      state.requests.append(request)
      return state.replies.isEmpty ? nil : state.replies.removeFirst()
    }
    switch reply {
    case .response(let response): return response
    case .failure(let error): throw error
    case nil: throw TransportError.failed("the script ran out of replies")
    }
  }

  public var requests: [HTTPRequest] { state.withLock { $0.requests } }

  public static func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> Reply {
    .response(HTTPResponse(status: status, headers: headers, body: Data(body.utf8)))
  }
}

/// Wraps a transport and measures how many requests were in flight at once.
public final class ConcurrencyProbe: HTTPTransport, Sendable {
  private let inner: any HTTPTransport
  private let counts = Mutex<(current: Int, peak: Int, total: Int)>((0, 0, 0))

  public init(_ inner: any HTTPTransport) { self.inner = inner }

  public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    counts.withLock {
      $0.current += 1
      $0.total += 1
      $0.peak = max($0.peak, $0.current)
    }
    defer { counts.withLock { $0.current -= 1 } }
    return try await inner.send(request)
  }

  public var peak: Int { counts.withLock { $0.peak } }
  public var total: Int { counts.withLock { $0.total } }
}
