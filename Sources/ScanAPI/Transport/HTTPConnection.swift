import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Where a connection goes: the server, whether TLS wraps it, and the proxy that tunnels to it.
struct Destination: Hashable, Sendable {
  var tls: Bool
  var host: String
  var port: Int
  var proxy: NetworkSettings.Proxy?

  /// `host:port` as a CONNECT line and a Host header write it (IPv6 in brackets).
  var authority: String {
    (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
  }

  /// The Host header: the port only when it is not the scheme's.
  var hostHeader: String {
    let name = host.contains(":") ? "[\(host)]" : host
    return port == (tls ? 443 : 80) ? name : "\(name):\(port)"
  }

  /// An IP address is neither sent as SNI nor matched by name: NIOSSL checks the certificate
  /// against the address connected to.
  var isAddress: Bool { (try? SocketAddress(ipAddress: host, port: 0)) != nil }
}

/// A response as read: its head and its whole body.
struct Reply: Sendable {
  var head: HTTPResponseHead
  var body: ByteBuffer
}

/// One request on a connection: what to send, how much may come back and by when, and where the
/// reply goes.
struct Exchange: Sendable {
  var head: HTTPRequestHead
  var body: ByteBuffer?
  var maxBodyBytes: Int
  var deadline: NIODeadline
  var reply: EventLoopPromise<Reply>
}

/// The connection closed before any of the reply came: on a connection that sat idle in the pool,
/// the server had closed it meanwhile, and the request may go again on a new one.
struct ClosedBeforeReply: Error {}

/// Carries one exchange at a time over HTTP/1.1: writes the request, collects the reply up to its
/// limit, fails it at its deadline, and says when TLS is ready.
final class ConnectionHandler: ChannelDuplexHandler {
  typealias InboundIn = HTTPClientResponsePart
  typealias OutboundIn = Exchange
  typealias OutboundOut = HTTPClientRequestPart

  /// Fulfilled when the TLS handshake is done; nil on plain http, ready once connected.
  private let ready: EventLoopPromise<Void>?
  private var exchange: Exchange?
  private var head: HTTPResponseHead?
  private var body = ByteBuffer()
  private var timer: Scheduled<Void>?

  init(ready: EventLoopPromise<Void>?) {
    self.ready = ready
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    let exchange = unwrapOutboundIn(data)
    guard self.exchange == nil else {
      exchange.reply.fail(TransportError.failed("a connection was given two requests at once"))
      return
    }
    self.exchange = exchange
    head = nil
    body.clear()
    timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: exchange.deadline) {
      self.finish(.failure(TransportError.timedOut))
      context.close(promise: nil)
    }
    context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
    if let body = exchange.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard let exchange else { return }
    switch unwrapInboundIn(data) {
    case .head(let received):
      // 100 Continue and the like come before the answer.
      if received.status.code / 100 == 1 { return }
      let length = received.headers.first(name: "content-length").flatMap { Int($0) }
      if let length, length > exchange.maxBodyBytes {
        fail(context, TransportError.bodyTooLarge(limit: exchange.maxBodyBytes))
        return
      }
      head = received
      body.reserveCapacity(minimumWritableBytes: min(length ?? 0, exchange.maxBodyBytes))
    case .body(var part):
      guard head != nil else { return }
      guard body.readableBytes + part.readableBytes <= exchange.maxBodyBytes else {
        fail(context, TransportError.bodyTooLarge(limit: exchange.maxBodyBytes))
        return
      }
      body.writeBuffer(&part)
    case .end:
      guard let head else { return }
      finish(.success(Reply(head: head, body: body)))
      body = ByteBuffer()
      if !head.isKeepAlive { context.close(promise: nil) }
    }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if case .handshakeCompleted = event as? TLSUserEvent { ready?.succeed() }
    context.fireUserInboundEventTriggered(event)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    fail(context, error)
  }

  func channelInactive(context: ChannelHandlerContext) {
    ready?.fail(TransportError.connectionLost("the server closed the connection"))
    finish(
      .failure(head == nil ? ClosedBeforeReply() : TransportError.connectionLost("the server closed the connection")))
    context.fireChannelInactive()
  }

  private func fail(_ context: ChannelHandlerContext, _ error: any Error) {
    ready?.fail(error)
    finish(.failure(error))
    context.close(promise: nil)
  }

  private func finish(_ result: Result<Reply, any Error>) {
    guard let exchange else { return }
    self.exchange = nil
    timer?.cancel()
    timer = nil
    exchange.reply.completeWith(result)
  }
}

/// Asks an HTTP proxy for a tunnel (`CONNECT host:port`, with the proxy's credentials) and reads
/// its answer; the TLS of the request goes through the tunnel, so the proxy sees nothing else.
final class ProxyTunnelHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  static let name = "proxy-tunnel"
  private let destination: Destination
  private let established: EventLoopPromise<Void>
  private var received = ByteBuffer()

  init(destination: Destination, established: EventLoopPromise<Void>) {
    self.destination = destination
    self.established = established
  }

  func channelActive(context: ChannelHandlerContext) {
    var request = "CONNECT \(destination.authority) HTTP/1.1\r\nHost: \(destination.authority)\r\n"
    if let proxy = destination.proxy, let user = proxy.username {
      let credentials = Data("\(user):\(proxy.password ?? "")".utf8).base64EncodedString()
      request += "Proxy-Authorization: Basic \(credentials)\r\n"
    }
    request += "\r\n"
    context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
    context.fireChannelActive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var part = unwrapInboundIn(data)
    received.writeBuffer(&part)
    let bytes = received.readableBytesView
    guard let end = bytes.firstRange(of: [13, 10, 13, 10]) else {
      if bytes.count > 16_384 { refuse(context, "the proxy's answer has no end") }
      return
    }
    let statusLine = String(
      decoding: bytes[..<(bytes.firstRange(of: [13, 10])?.lowerBound ?? end.lowerBound)], as: UTF8.self)
    let words = statusLine.split(separator: " ", maxSplits: 2)
    guard words.count >= 2, words[0].hasPrefix("HTTP/1."), let status = Int(words[1]) else {
      refuse(context, "the proxy's answer is not HTTP")
      return
    }
    guard (200..<300).contains(status) else {
      refuse(context, "the proxy refused the tunnel: \(words.dropFirst().joined(separator: " "))")
      return
    }
    established.succeed()
  }

  func channelInactive(context: ChannelHandlerContext) {
    established.fail(TransportError.cannotConnect("the proxy closed the connection"))
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    established.fail(error)
    context.close(promise: nil)
  }

  private func refuse(_ context: ChannelHandlerContext, _ reason: String) {
    established.fail(TransportError.cannotConnect(reason))
    context.close(promise: nil)
  }
}

/// Opens connections: TCP (to the proxy when there is one), the tunnel, TLS, then HTTP/1.1.
enum HTTPConnection {
  /// One event-loop thread for every connection, started with the first: a client of at most a
  /// few dozen connections that does its decoding elsewhere needs no more, and each thread NIO's
  /// shared group starts (one per core) is time before the first request.
  static let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

  /// A connection ready for its first exchange; a failure or `deadline` closes it.
  static func open(
    _ destination: Destination, tls: NIOSSLContext?, connectTimeout: Duration, deadline: NIODeadline
  ) async throws -> any Channel {
    let loop = loops.next()
    let tunnel = destination.proxy.map { _ in loop.makePromise(of: Void.self) }
    let ready = tls.map { _ in loop.makePromise(of: Void.self) }
    let bootstrap = ClientBootstrap(group: loop)
      .connectTimeout(.nanoseconds(Int64(connectTimeout / .nanoseconds(1))))
      .channelOption(.socketOption(.tcp_nodelay), value: 1)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          let pipeline = channel.pipeline.syncOperations
          if let tunnel {
            try pipeline.addHandler(
              ProxyTunnelHandler(destination: destination, established: tunnel), name: ProxyTunnelHandler.name)
          } else {
            try addHTTP(to: pipeline, destination: destination, tls: tls, ready: ready)
          }
        }
      }
    let host = destination.proxy?.host ?? destination.host
    let port = destination.proxy?.port ?? destination.port
    // An address is connected to as it is: the resolver would hand it to getaddrinfo on a thread
    // of its own first.
    let connecting =
      if let address = try? SocketAddress(ipAddress: host, port: port) {
        bootstrap.connect(to: address)
      } else {
        bootstrap.connect(host: host, port: port)
      }
    let channel = try await cancellable(connecting, on: loop)
    let timer = loop.scheduleTask(deadline: deadline) {
      tunnel?.fail(TransportError.timedOut)
      ready?.fail(TransportError.timedOut)
      channel.close(promise: nil)
    }
    defer { timer.cancel() }
    do {
      if let tunnel {
        try await cancellable(tunnel.futureResult, on: loop)
        try await loop.submit {
          let pipeline = channel.pipeline.syncOperations
          pipeline.removeHandler(context: try pipeline.context(name: ProxyTunnelHandler.name), promise: nil)
          try addHTTP(to: pipeline, destination: destination, tls: tls, ready: ready)
        }.get()
      }
      if let ready { try await cancellable(ready.futureResult, on: loop) }
    } catch {
      channel.close(promise: nil)
      throw error
    }
    return channel
  }

  private static func addHTTP(
    to pipeline: ChannelPipeline.SynchronousOperations, destination: Destination, tls: NIOSSLContext?,
    ready: EventLoopPromise<Void>?
  ) throws {
    if let tls {
      try pipeline.addHandler(
        NIOSSLClientHandler(context: tls, serverHostname: destination.isAddress ? nil : destination.host))
    }
    try pipeline.addHTTPClientHandlers()
    try pipeline.addHandler(ConnectionHandler(ready: ready))
  }

  /// Awaits `future`, giving up with `CancellationError` when the task is cancelled; a channel that
  /// connects after that is closed.
  static func cancellable<Value: Sendable>(_ future: EventLoopFuture<Value>, on loop: any EventLoop) async throws
    -> Value
  {
    let outcome = loop.makePromise(of: Value.self)
    future.cascade(to: outcome)
    return try await withTaskCancellationHandler {
      try await outcome.futureResult.get()
    } onCancel: {
      outcome.fail(CancellationError())
      future.whenSuccess { ($0 as? any Channel)?.close(promise: nil) }
    }
  }
}
