import Foundation
import TestSupport
import Testing

/// https and proxies as users' machines have them, on loopback: the simulator serves TLS with a
/// certificate of a CA the test makes; scansh trusts it through SSL_CERT_FILE, reaches it through a
/// CONNECT proxy, and refuses what it should.
@Suite(.serialized)
struct TLSProxyTests {
  static func https(_ files: TestPKI.ServerFiles) throws -> SimulatorProcess {
    try SimulatorProcess(["--tls-cert", files.certificate, "--tls-key", files.key])
  }

  static func count(_ simulator: SimulatorProcess, _ extra: [String: String]) async throws -> Scansh.Output {
    try await Scansh.run(
      ["--endpoint", simulator.endpoint, "--timeout", "10s", "-c", "scans | count"],
      environment: simulator.environment(extra))
  }

  @Test func httpsWithTheTestCA() async throws {
    let pki = try TestPKI()
    let simulator = try Self.https(try pki.server())
    #expect(simulator.endpoint.hasPrefix("https://127.0.0.1:"))
    let output = try await Self.count(simulator, ["SSL_CERT_FILE": pki.caFile])
    #expect(output.status == 0, "\(output.stderr)")
    #expect(output.stdout == "250\n")
    // The folder form works too.
    let folder = (pki.caFile as NSString).deletingLastPathComponent
    let byFolder = try await Self.count(simulator, ["SSL_CERT_DIR": folder])
    #expect(byFolder.status == 0, "\(byFolder.stderr)")
    #expect(byFolder.stdout == "250\n")
  }

  @Test func certificatesThatMustFail() async throws {
    let pki = try TestPKI()
    let other = try TestPKI(name: "another CA")
    let good = try Self.https(try pki.server())
    let untrusted = try await Self.count(good, ["SSL_CERT_FILE": other.caFile])
    #expect(untrusted.status == 4)
    #expect(
      untrusted.stderr
        == "error: network error talking to \(good.endpoint): could not connect (the server's certificate is not trusted: no CA in SSL_CERT_FILE or the system's store signed it, or it is out of date)\n  in -c:1: scans | count\n"
    )
    let expired = try Self.https(try pki.server(expired: true, label: "expired"))
    let late = try await Self.count(expired, ["SSL_CERT_FILE": pki.caFile])
    #expect(late.status == 4)
    #expect(
      late.stderr
        == "error: network error talking to \(expired.endpoint): could not connect (the server's certificate is not trusted: no CA in SSL_CERT_FILE or the system's store signed it, or it is out of date)\n  in -c:1: scans | count\n"
    )
    let misnamed = try Self.https(try pki.server(names: ["scanner.example.com"], ip: false, label: "misnamed"))
    let wrongHost = try await Self.count(misnamed, ["SSL_CERT_FILE": pki.caFile])
    #expect(wrongHost.status == 4)
    #expect(
      wrongHost.stderr
        == "error: network error talking to \(misnamed.endpoint): could not connect (the server's certificate is not for 127.0.0.1)\n  in -c:1: scans | count\n"
    )
  }

  @Test func throughAConnectProxyAndAroundIt() async throws {
    let pki = try TestPKI()
    let simulator = try Self.https(try pki.server())
    let proxy = try ConnectProxy()
    defer { proxy.stop() }
    let through = try await Self.count(
      simulator, ["SSL_CERT_FILE": pki.caFile, "HTTPS_PROXY": "http://scanner:p%40ss@127.0.0.1:\(proxy.port)"])
    #expect(through.status == 0, "\(through.stderr)")
    #expect(through.stdout == "250\n")
    let requests = proxy.requests
    #expect(!requests.isEmpty)
    // The proxy saw only the tunnel's CONNECT, with the proxy's credentials; nothing of the API.
    for head in requests {
      #expect(head.hasPrefix("CONNECT 127.0.0.1:\(simulator.port) HTTP/1.1\r\n"))
      // Header names are matched as HTTP does, whatever their case.
      let authorization = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("proxy-authorization:") }
      #expect(
        authorization?.dropFirst("proxy-authorization:".count)
          == " Basic \(Data("scanner:p@ss".utf8).base64EncodedString())")
      #expect(!head.contains("DescribeScans"))
    }
    #expect(!through.stderr.contains("p@ss") && !through.stderr.contains("p%40ss"))
    let before = proxy.requests.count
    for noProxy in ["127.0.0.1", "localhost,127.0.0.1:9", "*"] {
      let around = try await Self.count(
        simulator,
        ["SSL_CERT_FILE": pki.caFile, "https_proxy": proxy.url, "NO_PROXY": noProxy])
      #expect(around.status == 0, "\(noProxy): \(around.stderr)")
    }
    #expect(proxy.requests.count == before)
    // A proxy that is not there is a network error, as the endpoint's would be.
    proxy.stop()
    let gone = try await Self.count(simulator, ["SSL_CERT_FILE": pki.caFile, "HTTPS_PROXY": proxy.url])
    #expect(gone.status == 4, "\(gone.stderr)")
  }

  @Test func showConfigSaysWhichProxyAndTrust() async throws {
    let pki = try TestPKI()
    let simulator = try Self.https(try pki.server())
    let output = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "-c", "show config"],
      environment: simulator.environment([
        "SSL_CERT_FILE": pki.caFile, "HTTPS_PROXY": "http://scanner:secret@proxy.example.com:3128",
        "NO_PROXY": ".internal.example.com,127.0.0.1",
      ]))
    #expect(output.status == 0)
    #expect(output.stdout.contains("proxy        http://scanner:****@proxy.example.com:3128 (HTTPS_PROXY)\n"))
    #expect(output.stdout.contains("no proxy     internal.example.com, 127.0.0.1\n"))
    #expect(output.stdout.contains("trust        \(pki.caFile) (SSL_CERT_FILE)\n"))
    #expect(!output.stdout.contains("secret"))
  }
}
