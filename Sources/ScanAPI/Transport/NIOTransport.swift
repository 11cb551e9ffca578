import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// How requests leave the machine, as the user's environment says: a proxy for https
/// (`HTTPS_PROXY`/`https_proxy`, with credentials in its URL), the hosts that bypass it
/// (`NO_PROXY`/`no_proxy`: names, `.suffix` or `suffix` matching subdomains too, `*` for all), and
/// the CA certificates trusted (`SSL_CERT_FILE`, `SSL_CERT_DIR`, else the system's store). Plain
/// http goes only to loopback and never through a proxy.
public struct NetworkSettings: Sendable, Hashable {
  public struct Proxy: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    /// The variable it came from.
    public var source: String

    /// As `show config` says it: credentials masked.
    public var shown: String {
      "http://" + (username.map { "\($0):****@" } ?? "") + "\(host):\(port) (\(source))"
    }
  }

  public var proxy: Proxy?
  /// `NO_PROXY`'s entries, lower-cased, leading dots dropped.
  public var noProxy: [String] = []
  /// A CA bundle file or a folder of CA certificates; nil for the system's store.
  public var trust: (path: String, source: String)?

  public init() {}

  public static func == (a: NetworkSettings, b: NetworkSettings) -> Bool {
    a.proxy == b.proxy && a.noProxy == b.noProxy && a.trust?.path == b.trust?.path
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(proxy)
    hasher.combine(noProxy)
    hasher.combine(trust?.path)
  }

  /// The settings an environment gives; a proxy URL that cannot be read is an error with its name.
  public init(environment: [String: String]) throws(ScanAPIError) {
    for name in ["HTTPS_PROXY", "https_proxy"] {
      guard let value = environment[name], !value.isEmpty else { continue }
      proxy = try Self.proxy(value, source: name)
      break
    }
    for name in ["NO_PROXY", "no_proxy"] {
      guard let value = environment[name] else { continue }
      noProxy = value.split(separator: ",").map {
        var entry = $0.trimmingCharacters(in: .whitespaces).lowercased()
        while entry.hasPrefix(".") { entry.removeFirst() }
        // A port on an entry is ignored: hosts are matched by name.
        if !entry.hasPrefix("["), let colon = entry.lastIndex(of: ":"), entry.filter({ $0 == ":" }).count == 1 {
          entry = String(entry[..<colon])
        }
        return entry
      }.filter { !$0.isEmpty }
      break
    }
    if let file = environment["SSL_CERT_FILE"], !file.isEmpty {
      trust = (file, "SSL_CERT_FILE")
    } else if let folder = environment["SSL_CERT_DIR"], !folder.isEmpty {
      // OpenSSL's list form: the first folder.
      trust = (String(folder.split(separator: ":").first ?? ""), "SSL_CERT_DIR")
    }
  }

  static func proxy(_ text: String, source: String) throws(ScanAPIError) -> Proxy {
    let withScheme = text.contains("://") ? text : "http://" + text
    guard let components = URLComponents(string: withScheme), let host = components.host, !host.isEmpty,
      ["http", "https"].contains(components.scheme?.lowercased() ?? "")
    else {
      throw .invalidEndpoint("\(source) is not a proxy URL such as http://proxy.example.com:3128")
    }
    return Proxy(
      host: host, port: components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80),
      username: components.percentEncodedUser?.removingPercentEncoding,
      password: components.percentEncodedPassword?.removingPercentEncoding, source: source)
  }

  /// Whether a request to `host` goes through the proxy.
  public func usesProxy(for host: String, scheme: String) -> Bool {
    guard proxy != nil, scheme == "https" else { return false }
    let host = host.lowercased()
    for entry in noProxy {
      if entry == "*" || host == entry || host.hasSuffix("." + entry) { return false }
    }
    return true
  }

  /// `show config`'s lines for these settings.
  public var lines: [String] {
    var lines = ["proxy        " + (proxy.map(\.shown) ?? "none")]
    if proxy != nil, !noProxy.isEmpty { lines.append("no proxy     " + noProxy.joined(separator: ", ")) }
    lines.append("trust        " + (trust.map { "\($0.path) (\($0.source))" } ?? "the system's CA certificates"))
    return lines
  }
}

/// The production transport: AsyncHTTPClient on SwiftNIO, with keep-alive pools (one direct and,
/// with a proxy, one through it), a deadline per request, cancellation, and TLS trusting what
/// `NetworkSettings` says. A body larger than `maxBodyBytes` is refused: by its Content-Length
/// before a byte of it is read, or as soon as the bytes read pass the limit.
public final class NIOTransport: HTTPTransport {
  public static let defaultMaxBodyBytes = 32 << 20

  private let timeout: Duration
  private let maxBodyBytes: Int
  private let settings: NetworkSettings
  private let direct: HTTPClient
  private let proxied: HTTPClient?

  public init(
    timeout: Duration = .seconds(20), maxConnectionsPerHost: Int = 8, maxBodyBytes: Int = defaultMaxBodyBytes,
    settings: NetworkSettings = NetworkSettings()
  ) {
    self.timeout = timeout
    self.maxBodyBytes = maxBodyBytes
    self.settings = settings
    let key = Clients.Key(settings: settings, connections: max(1, maxConnectionsPerHost))
    (direct, proxied) = Clients.shared.clients(for: key)
  }

  public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    var outgoing = HTTPClientRequest(url: request.url.absoluteString)
    outgoing.method = HTTPMethod(rawValue: request.method)
    for (name, value) in request.headers { outgoing.headers.replaceOrAdd(name: name, value: value) }
    if let body = request.body {
      outgoing.headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
      outgoing.body = .bytes(ByteBuffer(bytes: body))
    }
    let scheme = request.url.scheme?.lowercased() ?? "https"
    let client = settings.usesProxy(for: request.url.host ?? "", scheme: scheme) ? (proxied ?? direct) : direct
    let milliseconds = Int64(timeout / .milliseconds(1))
    do {
      let response = try await client.execute(outgoing, timeout: .milliseconds(milliseconds))
      var headers: [String: String] = [:]
      for (name, value) in response.headers {
        let key = name.lowercased()
        headers[key] = headers[key].map { $0 + ", " + value } ?? value
      }
      if let length = headers["content-length"].flatMap(Int.init), length > maxBodyBytes {
        throw TransportError.bodyTooLarge(limit: maxBodyBytes)
      }
      let body: ByteBuffer
      do {
        body = try await response.body.collect(upTo: maxBodyBytes)
      } catch is NIOTooManyBytesError {
        throw TransportError.bodyTooLarge(limit: maxBodyBytes)
      }
      return HTTPResponse(
        status: Int(response.status.code), headers: headers,
        body: Data(body.readableBytesView))
    } catch {
      throw Self.translate(error, host: request.url.host ?? "")
    }
  }

  /// What each failure means to scansh: a cancellation as such, a timeout, a connection that
  /// could not be made (a refused port, a name that does not resolve, a certificate not
  /// trusted), or one lost on the way.
  static func translate(_ error: any Error, host: String = "") -> any Error {
    if error is CancellationError || error is TransportError { return error }
    if let error = error as? HTTPClientError {
      switch error {
      case .cancelled: return CancellationError()
      case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
        .getConnectionFromPoolTimeout:
        return TransportError.timedOut
      case .httpProxyHandshakeTimeout: return TransportError.cannotConnect("the proxy did not answer")
      case .remoteConnectionClosed: return TransportError.connectionLost("the server closed the connection")
      case .invalidProxyResponse, .proxyAuthenticationRequired, .invalidProxyConfiguration:
        return TransportError.cannotConnect("the proxy refused: \(error)")
      default:
        return TransportError.failed("\(error)")
      }
    }
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

  /// Clients live as long as the process: AsyncHTTPClient wants a shutdown before a client is
  /// released, and scansh's transports are few (one per configuration) and used to the end.
  final class Clients: Sendable {
    struct Key: Hashable {
      var settings: NetworkSettings
      var connections: Int
    }

    static let shared = Clients()
    private let made = Mutex<[Key: (HTTPClient, HTTPClient?)]>([:])

    func clients(for key: Key) -> (HTTPClient, HTTPClient?) {
      made.withLock { made in
        if let clients = made[key] { return clients }
        let direct = HTTPClient(
          eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration(key, proxy: nil))
        let proxied = key.settings.proxy.map { proxy in
          HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration(key, proxy: proxy))
        }
        made[key] = (direct, proxied)
        return (direct, proxied)
      }
    }

    /// A bundle file as it is; a folder's PEM files each read (not only the hashed names OpenSSL's
    /// `c_rehash` makes), so a folder of CA files works as users expect.
    static func trustRoots(_ path: String) -> NIOSSLTrustRoots {
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
        return .file(path)
      }
      let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
      let certificates = names.sorted().flatMap { name -> [NIOSSLCertificate] in
        (try? NIOSSLCertificate.fromPEMFile((path as NSString).appendingPathComponent(name))) ?? []
      }
      return .certificates(certificates)
    }

    private func configuration(_ key: Key, proxy: NetworkSettings.Proxy?) -> HTTPClient.Configuration {
      var tls = TLSConfiguration.makeClientConfiguration()
      if let trust = key.settings.trust { tls.trustRoots = Self.trustRoots(trust.path) }
      var pool = HTTPClient.Configuration.ConnectionPool(
        idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: key.connections)
      pool.retryConnectionEstablishment = false
      var configuration = HTTPClient.Configuration(
        tlsConfiguration: tls, redirectConfiguration: .disallow,
        timeout: .init(connect: .seconds(10), read: nil), connectionPool: pool,
        proxy: proxy.map { proxy in
          .server(
            host: proxy.host, port: proxy.port,
            authorization: proxy.username.map { .basic(username: $0, password: proxy.password ?? "") })
        })
      configuration.httpVersion = .http1Only
      return configuration
    }
  }
}
