import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A deliberately bad HTTP server on loopback, built on plain sockets so it can do what a
/// well-behaved framework never would: close mid-answer, hang, lie about lengths, send garbage.
public final class HostileServer: Sendable {
  public struct Request: Sendable {
    public var requestLine: String
    public var body: String
    /// The `CurrentPage` parameter, from the query or the form body.
    public var page: Int {
      for part in (requestLine + "&" + body).split(whereSeparator: { $0 == "&" || $0 == "?" || $0 == " " })
      where part.hasPrefix("CurrentPage=") {
        return Int(part.dropFirst("CurrentPage=".count)) ?? 1
      }
      return 1
    }
  }

  public enum Behavior: Sendable {
    case respond(status: Int, headers: [String: String], body: [UInt8])
    /// Close the connection without answering.
    case close
    /// Accept and never answer.
    case hang
    /// Say the body is `declared` bytes long, send `body` (shorter), and close.
    case truncated(status: Int, headers: [String: String], body: [UInt8], declared: Int)

    public static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> Behavior {
      .respond(
        status: status, headers: ["Content-Type": "application/json"].merging(headers) { $1 }, body: Array(text.utf8))
    }
  }

  public let port: Int
  private let listener: Int32
  private let state = State()

  /// Shared with the serving threads.
  private final class State: Sendable {
    let stopped = Atomic<Bool>(false)
    let hits = Atomic<Int>(0)
  }

  public init(_ handler: @escaping @Sendable (Request) -> Behavior) throws {
    let (fd, port) = try Self.listen()
    listener = fd
    self.port = port
    let state = state
    Thread.detachNewThread { [fd] in
      while !state.stopped.load(ordering: .relaxed) {
        let connection = accept(fd, nil, nil)
        if connection < 0 { break }
        state.hits.add(1, ordering: .relaxed)
        Thread.detachNewThread {
          Self.serve(connection, handler: handler, state: state)
        }
      }
    }
  }

  deinit { stop() }

  public var endpoint: String { "http://127.0.0.1:\(port)/" }

  /// Connections accepted so far.
  public var connections: Int { state.hits.load(ordering: .relaxed) }

  public func stop() {
    guard !state.stopped.exchange(true, ordering: .relaxed) else { return }
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
  }

  private static func serve(_ fd: Int32, handler: @Sendable (Request) -> Behavior, state: State) {
    defer { close(fd) }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      // Read one request: headers, then Content-Length bytes of body.
      var headerEnd: Int?
      while headerEnd == nil {
        if let end = find(received, [13, 10, 13, 10]) {
          headerEnd = end
          break
        }
        let count = read(fd, &buffer, buffer.count)
        if count <= 0 { return }
        received += buffer[0..<count]
      }
      let head = String(decoding: received[0..<headerEnd!], as: UTF8.self)
      let lines = head.components(separatedBy: "\r\n")
      let contentLength =
        lines.first { $0.lowercased().hasPrefix("content-length:") }
        .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
      let bodyStart = headerEnd! + 4
      while received.count < bodyStart + contentLength {
        let count = read(fd, &buffer, buffer.count)
        if count <= 0 { return }
        received += buffer[0..<count]
      }
      let body = String(decoding: received[bodyStart..<(bodyStart + contentLength)], as: UTF8.self)
      received.removeFirst(bodyStart + contentLength)
      switch handler(Request(requestLine: lines[0], body: body)) {
      case .close:
        return
      case .hang:
        while !state.stopped.load(ordering: .relaxed) { usleep(20_000) }
        return
      case .truncated(let status, let headers, let body, let declared):
        var text = "HTTP/1.1 \(status) Answer\r\nContent-Length: \(declared)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        _ = writeAll(fd, Array((text + "\r\n").utf8) + body)
        return
      case .respond(let status, let headers, let body):
        var text = "HTTP/1.1 \(status) Answer\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        if !writeAll(fd, Array(text.utf8) + body) { return }
      }
    }
  }

  /// A socket listening on a free loopback port, and the port.
  static func listen() throws -> (descriptor: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, Glibc.listen(fd, 128) == 0 else {
      close(fd)
      throw POSIXError(.EADDRINUSE)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
  }

  private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if written <= 0 { return false }
      offset += written
    }
    return true
  }

  private static func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for index in 0...(haystack.count - needle.count)
    where haystack[index..<(index + needle.count)].elementsEqual(needle) {
      return index
    }
    return nil
  }
}
