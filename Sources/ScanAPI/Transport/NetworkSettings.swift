import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

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
        var entry = $0.trimmed(.blanks).lowercased()
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
      username: components.percentEncodedUser.flatMap { PercentEncoding.decode(Substring($0), plusIsSpace: false) },
      password: components.percentEncodedPassword.flatMap { PercentEncoding.decode(Substring($0), plusIsSpace: false) },
      source: source)
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
