import ScanAPI

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What scansh will connect to, decided before anything connects: the demo simulator or an
/// endpoint with credentials, the summary the prompt and `show config` show, and the transport's
/// limits. Pure but for reading the credential files; the caller carries it out.
public struct ConnectionPlan: Sendable, Equatable {
  public enum Target: Sendable, Equatable {
    case demo(DemoSettings)
    /// An endpoint, and how to obtain the credentials that sign for it (nothing fetched yet).
    case remote(endpoint: Endpoint, credentials: CredentialSpec)
  }

  public var target: Target
  public var summary: ConnectionSummary
  public var timeout: Duration
  /// HTTP connections per host for one account: at least its paging window. The pool the accounts
  /// share holds this many for each account read at once (`SharedTransport`).
  public var maxConnections: Int
  /// Proxy and trust, from the environment.
  public var network = NetworkSettings()

  /// The name of the account this plan connects: the profile's, `demo`, or `env`.
  public var accountName: String {
    if let demo { return DemoSettings.accountNames[demo.account] }
    return summary.profile ?? "env"
  }

  /// Resolves the plan; `warn` hears of problems found on the way (a config file others can read)
  /// even when resolution then fails. Throws `ScanAPIError` for configuration errors.
  public static func make(
    options: LaunchOptions, environment: [String: String], homeDirectory: String,
    warn: (String) -> Void
  ) throws -> ConnectionPlan {
    let resolved: ResolvedConnection
    var demoAccount = 0
    if options.demo {
      if let name = options.profile {
        guard let index = DemoSettings.accountNames.firstIndex(of: name) else {
          throw ScanAPIError.credentials(
            "demo mode has the accounts \(DemoSettings.accountNames.joined(separator: " and ")), not '\(name)'")
        }
        demoAccount = index
      }
      resolved = ResolvedConnection(spec: nil, source: .demo)
    } else {
      resolved = try CredentialResolver(environment: environment, homeDirectory: homeDirectory).resolve(
        profile: options.profile, warn: warn)
    }
    let endpointText = options.endpoint ?? resolved.endpoint
    let region = options.region ?? resolved.region
    let timeout = options.timeout
    let maxConnections = max(8, options.concurrency ?? 8)
    guard resolved.spec != nil || endpointText != nil else {
      var demo = DemoSettings(environment: environment, reason: options.demo ? .asked : .noCredentials)
      demo.account = demoAccount
      var summary = ConnectionSummary(
        endpoint: "built-in simulator on loopback (demo mode)", profile: resolved.profileName, region: region,
        source: .demo, accessKeyId: nil, hasSecurityToken: false)
      summary.demoAsked = options.demo
      return ConnectionPlan(target: .demo(demo), summary: summary, timeout: timeout, maxConnections: maxConnections)
    }
    guard let credentials = resolved.spec else {
      throw ScanAPIError.credentials(
        "--endpoint is set but no credentials were found: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or use --profile"
      )
    }
    let endpoint = try Endpoint(endpointText ?? Endpoint.production)
    var summary = ConnectionSummary(
      endpoint: endpoint.description, profile: resolved.profileName, region: region, source: resolved.source,
      accessKeyId: credentials.fixedCredentials?.maskedAccessKeyId,
      hasSecurityToken: credentials.fixedCredentials?.securityToken != nil)
    summary.roleArn = credentials.roleArn
    let network = try NetworkSettings(environment: environment)
    summary.network = network.lines
    var plan = ConnectionPlan(
      target: .remote(endpoint: endpoint, credentials: credentials), summary: summary, timeout: timeout,
      maxConnections: maxConnections)
    plan.network = network
    return plan
  }

  public var demo: DemoSettings? {
    if case .demo(let settings) = target { return settings }
    return nil
  }
}
