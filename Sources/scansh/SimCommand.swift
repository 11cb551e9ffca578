import ArgumentParser
import ScanAPI
import Shell
import Simulator
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `scansh sim`: the local DescribeScans server.
struct SimCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sim",
    abstract: "Run a faithful local Cloud Security Scanner server (loopback by default).",
    discussion: """
      Serves DescribeScans, DescribeScanSessions, DescribeAllVulnerabilities, DescribeVulnerability and \
      GenerateVulReport (GET and POST) at /, over one world of tasks, their runs and what the runs \
      found, with signature v1 verification, timestamp and nonce \
      checks, filters, paging, JSON (wrapped or --flat) and XML, and the real error codes. Prints \
      'listening on http://HOST:PORT' as its first line. Also STS (AssumeRole with the key pair, \
      AssumeRoleWithOIDC with --oidc-token; roles acs:ram::1234567890123456:role/scanner and \
      .../auditor, .../forbidden answers NoPermission) and the ECS metadata paths under /latest/, \
      issuing credentials that DescribeScans accepts until they expire.

      Control API (loopback clients only):
        GET  /_sim/stats                            counters and simulated time
        GET  /_sim/log                              request log (no signatures or nonces)
        POST /_sim/log/clear                        empty the log
        POST /_sim/advance?by=10m                   move simulated time forward
        POST /_sim/reset                            regenerate data; clear counters, log, faults
        POST /_sim/throttle?next=N[&retryAfter=MS]  throttle the next N calls
             [&code=Throttling|Throttling.User|Throttling.Api]
        POST /_sim/fail?next=N[&code=InternalError] answer the next N with 503 (500)
        POST /_sim/insert?count=N                   insert N new running scans
      """
  )

  @Option(help: "Address to listen on.") var host = "127.0.0.1"
  @Option(help: "Port to listen on; 0 picks a free one.") var port = 8_765
  @Option(help: "Seed of the generated data.") var seed: UInt64 = 1
  @Option(help: "Number of scans to generate.") var scans = 200
  @Option(help: "Serve the scans of this ndjson file instead of generated ones.") var dataset: String?
  @Option(help: "Simulated time the data is generated around (epoch ms or yyyy-MM-ddTHH:mm:ssZ); default now.")
  var epoch: String?
  @Option(help: "Simulated seconds per real second (600: a scan finishes within seconds; 0 freezes time).")
  var clockSpeed = 1.0
  @Option(help: "Delay before each DescribeScans answer, e.g. 25ms.") var latency: Duration = .zero
  @Option(help: "Random extra delay up to this much, e.g. 10ms.") var jitter: Duration = .zero
  @Option(
    help:
      "Fraction of calls throttled (Throttling, Throttling.User or Throttling.Api; about half with x-acs-retry-after)."
  )
  var throttleRate = 0.0
  @Option(help: "Fraction of calls answered with 503 ServiceUnavailable or 500 InternalError.") var errorRate = 0.0
  @Option(help: "New scans inserted after each answer, so listings change while they are read.") var drift = 0
  @Option(help: "Largest PageSize served; larger requests are capped and the cap echoed.") var maxPageSize = 100
  @Option(help: "AccessKey ID the server accepts.")
  var accessKeyId = Credentials.simulatorTestKeys(account: 0).accessKeyId
  @Option(help: "AccessKey secret the server verifies signatures with (a test secret, not a real one).")
  var accessKeySecret = Credentials.simulatorTestKeys(account: 0).accessKeySecret
  @Flag(help: "Answer JSON in the SDK's flat PascalCase shape instead of the reference's wrapped one.")
  var flat = false

  @Flag(
    help: """
      Answer DescribeScanSessions as the reference's sample does: "code":"200" as a string, PageNumber, \
      lower-camel keys inside a run.
      """)
  var sessionSampleShape = false
  @Option(help: "Write the scans as ndjson to this file and exit, instead of serving them.") var dump: String?
  @Option(help: "Seconds that credentials issued by STS and instance metadata last (short ones test refresh).")
  var credentialLifetime = 3600
  @Option(help: "The OIDC token AssumeRoleWithOIDC accepts.") var oidcToken = "test-oidc-token"
  @Option(help: "The RAM role the instance metadata service reports.") var ecsRole = "scanner-role"
  @Option(
    help:
      "Accounts served from this port: account N has key pair testidN/testsecretN and its own data (see /_sim/stats)."
  )
  var accounts = 1
  @Option(help: "Serve https with this PEM certificate chain (with --tls-key).") var tlsCert: String?
  @Option(help: "The PEM private key of --tls-cert.") var tlsKey: String?

  func validate() throws {
    guard (0...1).contains(throttleRate), (0...1).contains(errorRate) else {
      throw ValidationError("--throttle-rate and --error-rate take a fraction from 0 to 1")
    }
    guard maxPageSize >= 1 else { throw ValidationError("--max-page-size must be at least 1") }
    guard clockSpeed >= 0 else { throw ValidationError("--clock-speed must not be negative") }
    guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
    guard (1...64).contains(accounts) else { throw ValidationError("--accounts takes a number from 1 to 64") }
    if let epoch, DemoSettings.parseEpoch(epoch) == nil {
      throw ValidationError("--epoch: expected epoch milliseconds or yyyy-MM-ddTHH:mm:ssZ")
    }
  }

  func run() throws {
    var configuration = SimulatorConfiguration()
    configuration.host = host
    configuration.port = port
    configuration.seed = seed
    configuration.scanCount = scans
    configuration.epoch = epoch.flatMap(DemoSettings.parseEpoch)
    configuration.clockSpeed = clockSpeed
    configuration.latency = latency
    configuration.jitter = jitter
    configuration.throttleRate = throttleRate
    configuration.errorRate = errorRate
    configuration.drift = drift
    configuration.maxPageSize = maxPageSize
    configuration.accessKeyId = accessKeyId
    configuration.accessKeySecret = accessKeySecret
    configuration.flat = flat
    configuration.sessionSampleShape = sessionSampleShape
    configuration.credentialLifetime = credentialLifetime
    configuration.oidcToken = oidcToken
    configuration.ecsRole = ecsRole
    configuration.accounts = accounts
    if let tlsCert, let tlsKey { configuration.tls = (tlsCert, tlsKey) }
    if let dataset {
      var reader = try ScanFileReader(path: dataset)
      var scans: [Scan] = []
      while let scan = try reader.next() { scans.append(scan) }
      configuration.dataset = scans
    }
    let server = SimulatorServer(configuration: configuration)
    if let dump {
      try Blocking.run {
        var writer = JSONWriter(capacity: 1 << 20)
        for scan in await server.core.snapshot() {
          scan.writeJSON(to: &writer)
          writer.raw(0x0A)
        }
        try Data(writer.bytes).write(to: URL(fileURLWithPath: dump))
      }.result.get()
      return
    }
    let host = host
    let scheme = tlsCert == nil ? "http" : "https"
    try Blocking.run {
      try await server.run { port in
        FileDescriptorSink.standardOutput.write("listening on \(scheme)://\(host):\(port)\n")
      }
    }.result.get()
  }
}
