import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Sends raw bytes to a loopback port and reads the status line of the answer: for requests no
/// well-behaved client library would send.
public enum RawHTTP {
  /// What came back, told apart, so that a test can require an answer rather than accept silence.
  public enum Answer: Sendable, Equatable {
    case status(Int)
    /// The server closed the connection (or the read timed out) without a status line.
    case closedWithoutAnswer
    case couldNotConnect
  }

  /// The HTTP status, or nil when the server closed without answering.
  public static func status(port: Int, request: [UInt8], timeout: Int = 30) async -> Int? {
    if case .status(let code) = await answer(port: port, request: request, timeout: timeout) { return code }
    return nil
  }

  public static func answer(port: Int, request: [UInt8], timeout: Int = 30) async -> Answer {
    (try? await offload { answerBlocking(port: port, request: request, timeout: timeout) }) ?? .couldNotConnect
  }

  private static func answerBlocking(port: Int, request: [UInt8], timeout: Int) -> Answer {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return .couldNotConnect }
    defer { close(fd) }
    var time = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { return .couldNotConnect }
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var buffer = [UInt8](repeating: 0, count: 4096)
    var received: [UInt8] = []
    while !received.contains(10) {
      let count = recv(fd, &buffer, buffer.count, 0)
      if count <= 0 { break }
      received += buffer[0..<count]
    }
    let line = String(decoding: received.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
    let parts = line.split(separator: " ")
    return parts.count >= 2 ? Int(parts[1]).map(Answer.status) ?? .closedWithoutAnswer : .closedWithoutAnswer
  }

  public static func request(_ method: String, _ target: String, body: [UInt8] = [], headers: [String] = []) -> [UInt8]
  {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if method == "POST" {
      head += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.count)\r\n"
    }
    for header in headers { head += header + "\r\n" }
    return Array((head + "\r\n").utf8) + body
  }
}
