import ScanAPI

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Everything `scansh sim` can be told.
public struct SimulatorConfiguration: Sendable {
  public var host = "127.0.0.1"
  /// Serve https with this certificate chain and key (PEM files); nil for plain http.
  public var tls: (certificate: String, key: String)?
  /// 0 picks a free port.
  public var port = 0
  public var seed: UInt64 = 1
  public var scanCount = 200
  /// Scans read from an ndjson file instead of generated.
  public var dataset: [Scan]?
  /// The simulated time the data is generated around; nil means now.
  public var epoch: Date?
  /// Simulated seconds per real second; 0 freezes simulated time.
  public var clockSpeed = 1.0
  /// Simulated time stands at the epoch until `SimulatorCore.startClock()`, then runs at
  /// `clockSpeed`: demo mode holds it until its first pipeline has read its rows.
  public var clockHeld = false
  public var latency: Duration = .zero
  public var jitter: Duration = .zero
  /// Fraction of DescribeScans requests answered with Throttling.
  public var throttleRate = 0.0
  /// Fraction answered with a 503 ServiceUnavailable.
  public var errorRate = 0.0
  /// New scans inserted after each DescribeScans answer, to test listings that change mid-read.
  public var drift = 0
  public var maxPageSize = 100
  public var accessKeyId = Credentials.simulatorTestKeys(account: 0).accessKeyId
  public var accessKeySecret = Credentials.simulatorTestKeys(account: 0).accessKeySecret
  /// Accounts served from one port, each with its own key pair and data: account 1 uses the pair
  /// above; account N uses `testidN`/`testsecretN` and data from seed + N − 1.
  public var accounts = 1

  /// The key pair of each account, in order.
  public var keyPairs: [(id: String, secret: String)] {
    [(accessKeyId, accessKeySecret)]
      + (1..<max(1, accounts)).map { account in
        let keys = Credentials.simulatorTestKeys(account: account)
        return (keys.accessKeyId, keys.accessKeySecret)
      }
  }
  /// Answer JSON in the flat PascalCase shape instead of the reference's wrapped one.
  public var flat = false
  /// Answer DescribeScanSessions as the reference's sample does: `"code":"200"` as a string,
  /// `PageNumber` for `CurrentPage`, lower-camel keys inside a run and `ScanId` as a number.
  public var sessionSampleShape = false
  /// Request bodies over this size get 413.
  public var maxRequestBody = 64 << 10
  /// RAM roles STS will assume (AssumeRole needs the key pair above, or credentials it issued).
  public var roles: Set<String> = [
    "acs:ram::1234567890123456:role/scanner", "acs:ram::1234567890123456:role/auditor",
  ]
  /// Roles that exist but the caller may not assume: `NoPermission`.
  public var forbiddenRoles: Set<String> = ["acs:ram::1234567890123456:role/forbidden"]
  /// The OIDC token AssumeRoleWithOIDC accepts.
  public var oidcToken = "test-oidc-token"
  /// The RAM role the instance metadata service reports.
  public var ecsRole = "scanner-role"
  /// How long issued temporary credentials last, in seconds (at most what was asked for).
  public var credentialLifetime = 3600

  public init() {}
}
