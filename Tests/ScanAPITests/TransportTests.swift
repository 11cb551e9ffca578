import Foundation
import Synchronization
import TestSupport
import Testing

@testable import ScanAPI

/// The NIO transport's own rules, against a loopback server that misbehaves on purpose.
struct TransportTests {
  static func request(_ port: Int, _ page: Int) -> HTTPRequest {
    HTTPRequest(
      method: "POST", url: URL(string: "http://127.0.0.1:\(port)/?Action=DescribeScans")!,
      headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data("CurrentPage=\(page)".utf8))
  }

  /// A kept connection the server closes just as the next request comes (its idle timeout
  /// firing): nothing of the answer came, so the request goes again, once, on a new connection.
  @Test func aKeptConnectionClosedUnderARequestIsRetriedOnANewOne() async throws {
    let requests = Atomic<Int>(0)
    let server = try HostileServer { _ in
      // The second request arrives on the kept connection, which closes unanswered.
      requests.add(1, ordering: .relaxed).newValue == 2 ? .close : .json(200, #"{"TotalCount":0}"#)
    }
    defer { server.stop() }
    let transport = NIOTransport(timeout: .seconds(10), maxConnectionsPerHost: 1)
    let first = try await transport.send(Self.request(server.port, 1))
    #expect(first.status == 200)
    let second = try await transport.send(Self.request(server.port, 2))
    #expect(second.status == 200)
    #expect(String(decoding: second.body, as: UTF8.self) == #"{"TotalCount":0}"#)
    #expect(requests.load(ordering: .relaxed) == 3)
    #expect(server.connections == 2)
  }

  /// A new connection that closes unanswered is not retried: the server is refusing, not idle.
  @Test func aNewConnectionClosedUnansweredIsAnError() async throws {
    let server = try HostileServer { _ in .close }
    defer { server.stop() }
    let transport = NIOTransport(timeout: .seconds(10))
    await #expect(throws: TransportError.connectionLost("the server closed the connection")) {
      _ = try await transport.send(Self.request(server.port, 1))
    }
    #expect(server.connections == 1)
  }

  /// Answers are kept to one connection while they come one at a time, and headers are read as
  /// sent, lower-cased.
  @Test func oneConnectionCarriesRequestsInTurn() async throws {
    let server = try HostileServer { request in
      .json(200, #"{"page":\#(request.page)}"#, headers: ["X-Request-Id": "r\(request.page)"])
    }
    defer { server.stop() }
    let transport = NIOTransport(timeout: .seconds(10))
    for page in 1...5 {
      let response = try await transport.send(Self.request(server.port, page))
      #expect(String(decoding: response.body, as: UTF8.self) == #"{"page":\#(page)}"#)
      #expect(response.headers["x-request-id"] == "r\(page)")
    }
    #expect(server.connections == 1)
  }
}
