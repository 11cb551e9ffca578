import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A small HTTP CONNECT proxy on loopback, as a corporate proxy is to https: it sees the CONNECT
/// line (and its headers), then carries bytes both ways without reading them. Anything but CONNECT
/// is answered 405.
public final class ConnectProxy: Sendable {
  public let port: Int
  private let listener: Int32
  private let state = State()

  private final class State: Sendable {
    let stopped = Atomic<Bool>(false)
    let requests = Mutex<[String]>([])
  }

  /// The request heads it was sent, in order (the CONNECT line and its headers).
  public var requests: [String] { state.requests.withLock { $0 } }

  public init() throws {
    let (fd, port) = try HostileServer.listen()
    self.port = port
    listener = fd
    let state = state
    Thread.detachNewThread {
      while !state.stopped.load(ordering: .relaxed) {
        let client = accept(fd, nil, nil)
        if client < 0 { break }
        Thread.detachNewThread { Self.serve(client, state: state) }
      }
    }
  }

  deinit { stop() }

  /// `http://127.0.0.1:PORT`, as HTTPS_PROXY takes it.
  public var url: String { "http://127.0.0.1:\(port)" }

  public func stop() {
    guard !state.stopped.exchange(true, ordering: .relaxed) else { return }
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
  }

  private static func serve(_ client: Int32, state: State) {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 16_384)
    while !received.suffix(4).elementsEqual([13, 10, 13, 10]) {
      let count = read(client, &buffer, buffer.count)
      if count <= 0 {
        close(client)
        return
      }
      received += buffer[0..<count]
      if received.count > 65_536 { break }
    }
    let head = String(decoding: received, as: UTF8.self)
    state.requests.withLock { $0.append(head) }
    let parts = head.split(separator: " ", maxSplits: 2)
    guard parts.count >= 2, parts[0] == "CONNECT", let colon = parts[1].lastIndex(of: ":"),
      let targetPort = UInt16(parts[1][parts[1].index(after: colon)...])
    else {
      let answer = "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
      _ = write(client, answer, answer.utf8.count)
      close(client)
      return
    }
    let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = targetPort.bigEndian
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      let answer = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"
      _ = write(client, answer, answer.utf8.count)
      close(client)
      close(upstream)
      return
    }
    let ok = "HTTP/1.1 200 Connection established\r\n\r\n"
    _ = write(client, ok, ok.utf8.count)
    let done = DispatchSemaphore(value: 0)
    for (from, to) in [(client, upstream), (upstream, client)] {
      Thread.detachNewThread {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
          let count = read(from, &buffer, buffer.count)
          if count <= 0 { break }
          var offset = 0
          while offset < count {
            let written = buffer[offset..<count].withUnsafeBytes { write(to, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            offset += written
          }
        }
        shutdown(to, Int32(SHUT_WR))
        done.signal()
      }
    }
    done.wait()
    done.wait()
    close(client)
    close(upstream)
  }
}
