import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The production transport: HTTP/1.1 on SwiftNIO, with a keep-alive pool per server (and per
/// proxy tunnel), a deadline per request, cancellation, and TLS trusting what `NetworkSettings`
/// says. A body larger than `maxBodyBytes` is refused: by its Content-Length before a byte of it is
/// read, or as soon as the bytes read pass the limit.
///
/// The client is NIO's own HTTP/1.1 codec and NIOSSL, which the simulator's server already builds:
/// an HTTP client package (AsyncHTTPClient) was measured first and cost more build time than the
/// project allows for the same speed (docs/design.md, "Transport").
public final class NIOTransport: HTTPTransport {
  public static let defaultMaxBodyBytes = 32 << 20

  private let timeout: Duration
  private let maxBodyBytes: Int
  private let idleLimit: Int
  private let settings: NetworkSettings

  public init(
    timeout: Duration = .seconds(20), maxConnectionsPerHost: Int = 8, maxBodyBytes: Int = defaultMaxBodyBytes,
    settings: NetworkSettings = NetworkSettings()
  ) {
    self.timeout = timeout
    self.maxBodyBytes = maxBodyBytes
    self.idleLimit = max(1, maxConnectionsPerHost)
    self.settings = settings
  }

  public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    let host = request.url.host ?? ""
    do {
      let scheme = request.url.scheme?.lowercased() ?? "https"
      let tls = scheme == "https"
      let destination = Destination(
        tls: tls, host: host, port: request.url.port ?? (tls ? 443 : 80),
        proxy: settings.usesProxy(for: host, scheme: scheme) ? settings.proxy : nil)
      var headers = HTTPHeaders()
      headers.add(name: "Host", value: destination.hostHeader)
      for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) {
        headers.replaceOrAdd(name: name, value: value)
      }
      if let body = request.body { headers.replaceOrAdd(name: "Content-Length", value: String(body.count)) }
      var uri = request.url.path(percentEncoded: true)
      if uri.isEmpty { uri = "/" }
      if let query = request.url.query(percentEncoded: true) { uri += "?" + query }
      let head = HTTPRequestHead(
        version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: uri, headers: headers)
      let reply = try await exchange(
        head, body: request.body.map { ByteBuffer(bytes: $0) }, destination: destination,
        deadline: .now() + .nanoseconds(Int64(timeout / .nanoseconds(1))))
      var fields: [String: String] = [:]
      for (name, value) in reply.head.headers {
        let key = name.lowercased()
        fields[key] = fields[key].map { $0 + ", " + value } ?? value
      }
      return HTTPResponse(
        status: Int(reply.head.status.code), headers: fields, body: Data(reply.body.readableBytesView))
    } catch {
      if Task.isCancelled { throw CancellationError() }
      throw Self.translate(error, host: host)
    }
  }

  /// Sends on an idle connection to the destination, else on a new one. A pooled connection the
  /// server closed while it sat idle fails before any reply comes: the request goes again, once,
  /// on a new connection.
  private func exchange(
    _ head: HTTPRequestHead, body: ByteBuffer?, destination: Destination, deadline: NIODeadline
  ) async throws -> Reply {
    let key = ConnectionPool.Key(destination: destination, trust: settings.trust?.path)
    var retried = false
    while true {
      let channel: any Channel
      // The retry takes a new connection: another kept one may have been closed the same way.
      let idle = retried ? nil : ConnectionPool.shared.take(key)
      if let idle {
        channel = idle
      } else {
        let context = try destination.tls ? TLSContexts.shared.context(trust: settings.trust?.path) : nil
        channel = try await HTTPConnection.open(
          destination, tls: context, connectTimeout: min(timeout, .seconds(10)), deadline: deadline)
        ConnectionPool.shared.adopt(channel, key: key)
      }
      let promise = channel.eventLoop.makePromise(of: Reply.self)
      channel.writeAndFlush(
        Exchange(head: head, body: body, maxBodyBytes: maxBodyBytes, deadline: deadline, reply: promise)
      ).whenFailure { promise.fail($0) }
      do {
        let reply = try await HTTPConnection.cancellable(promise.futureResult, on: channel.eventLoop)
        if reply.head.isKeepAlive {
          ConnectionPool.shared.give(channel, key: key, limit: idleLimit)
        } else {
          channel.close(promise: nil)
        }
        return reply
      } catch {
        channel.close(promise: nil)
        if idle != nil, error is ClosedBeforeReply || error is ChannelError {
          retried = true
          continue
        }
        if error is ClosedBeforeReply { throw TransportError.connectionLost("the server closed the connection") }
        throw error
      }
    }
  }

  /// What each failure means to scansh: a cancellation as such, a timeout, a connection that
  /// could not be made (a refused port, a name that does not resolve, a certificate not
  /// trusted), or one lost on the way.
  static func translate(_ error: any Error, host: String = "") -> any Error {
    if error is CancellationError || error is TransportError { return error }
    if let error = error as? NIOSSLError {
      switch error {
      case .handshakeFailed(let reason) where "\(reason)".contains("CERTIFICATE_VERIFY_FAILED"):
        // BoringSSL does not say which check failed; these are the two it makes.
        return TransportError.untrusted(
          "the server's certificate is not trusted: no CA in SSL_CERT_FILE or the system's store signed it,"
            + " or it is out of date")
      case .handshakeFailed(let reason): return TransportError.cannotConnect("TLS handshake failed: \(reason)")
      case .unableToValidateCertificate: return TransportError.cannotConnect("the server's certificate is not valid")
      default: return TransportError.cannotConnect("TLS: \(error)")
      }
    }
    if let error = error as? NIOSSLExtraError, "\(error)".contains("failedToValidateHostname") {
      return TransportError.untrusted("the server's certificate is not for \(host)")
    }
    if let error = error as? NIOSSLExtraError { return TransportError.cannotConnect("TLS: \(error)") }
    if let error = error as? IOError { return TransportError.cannotConnect(error.description) }
    if let error = error as? ChannelError {
      switch error {
      case .connectTimeout: return TransportError.timedOut
      case .eof, .ioOnClosedChannel, .alreadyClosed: return TransportError.connectionLost("\(error)")
      default: return TransportError.failed("\(error)")
      }
    }
    let text = String(describing: error)
    if text.contains("connectionRefused") || text.contains("Connection refused") {
      return TransportError.cannotConnect("connection refused")
    }
    return TransportError.failed(text)
  }
}

/// Connections kept open between requests, per destination and trust: at most the limit a
/// transport gives, each dropped from the pool as soon as it closes.
final class ConnectionPool: Sendable {
  struct Key: Hashable, Sendable {
    var destination: Destination
    var trust: String?
  }

  static let shared = ConnectionPool()
  private let idle = Mutex<[Key: [any Channel]]>([:])

  /// An open idle connection, most recently used first.
  func take(_ key: Key) -> (any Channel)? {
    idle.withLock { idle in
      while let channel = idle[key]?.popLast() {
        if channel.isActive { return channel }
      }
      return nil
    }
  }

  /// A new connection: once closed, it leaves the pool.
  func adopt(_ channel: any Channel, key: Key) {
    channel.closeFuture.whenComplete { [self] _ in
      idle.withLock { $0[key]?.removeAll { $0 === channel } }
    }
  }

  /// A connection done with its exchange: kept when the pool has room, else closed.
  func give(_ channel: any Channel, key: Key, limit: Int) {
    let kept = idle.withLock { idle in
      guard channel.isActive, idle[key, default: []].count < limit else { return false }
      idle[key, default: []].append(channel)
      return true
    }
    if !kept { channel.close(promise: nil) }
  }
}

/// One TLS context per trust store, made when the first https request needs it (loading a store
/// is the slow part) and kept.
final class TLSContexts: Sendable {
  static let shared = TLSContexts()
  private let made = Mutex<[String: NIOSSLContext]>([:])

  func context(trust: String?) throws -> NIOSSLContext {
    try made.withLock { made in
      if let context = made[trust ?? ""] { return context }
      var configuration = TLSConfiguration.makeClientConfiguration()
      if let trust { configuration.trustRoots = Self.trustRoots(trust) }
      let context = try NIOSSLContext(configuration: configuration)
      made[trust ?? ""] = context
      return context
    }
  }

  /// A bundle file as it is; a folder's PEM files each read (not only the hashed names OpenSSL's
  /// `c_rehash` makes), so a folder of CA files works as users expect.
  static func trustRoots(_ path: String) -> NIOSSLTrustRoots {
    guard let file = ReadableFile(path: path), file.isFolder else { return .file(path) }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    let certificates = names.sorted().flatMap { name -> [NIOSSLCertificate] in
      (try? NIOSSLCertificate.fromPEMFile(PathText.appending(name, to: path))) ?? []
    }
    return .certificates(certificates)
  }
}
