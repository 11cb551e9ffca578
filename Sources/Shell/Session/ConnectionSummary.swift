import ScanAPI

/// What scansh is connected to, for the banner, the prompt and `show config`. Never holds a secret.
public struct ConnectionSummary: Sendable, Equatable {
  public var endpoint: String
  public var profile: String?
  public var region: String?
  public var source: CredentialSource
  /// Masked, `LTAI****abcd`.
  public var accessKeyId: String?
  public var hasSecurityToken: Bool
  /// The RAM role assumed, for role modes.
  public var roleArn: String?
  /// Demo mode because `--demo` asked for it, not for want of credentials.
  public var demoAsked = false
  /// The proxy and trust store in use (nothing in demo mode: it is plain http on loopback).
  public var network: [String] = []

  public init(
    endpoint: String, profile: String? = nil, region: String? = nil, source: CredentialSource,
    accessKeyId: String? = nil, hasSecurityToken: Bool = false
  ) {
    self.endpoint = endpoint
    self.profile = profile
    self.region = region
    self.source = source
    self.accessKeyId = accessKeyId
    self.hasSecurityToken = hasSecurityToken
  }

  public var isDemo: Bool { source == .demo }

  /// `demo`, `PROFILE@REGION`, `PROFILE`, or `env@REGION`.
  public var promptName: String {
    if isDemo { return "demo" }
    let name = profile ?? "env"
    return region.map { "\(name)@\($0)" } ?? name
  }

  public var lines: [String] {
    var lines = [
      "endpoint     \(endpoint)",
      "profile      \(profile ?? "-")",
      "region       \(region ?? "-")",
      "credentials  \(source)",
    ]
    if let roleArn { lines.append("role         \(roleArn)") }
    lines.append("access key   \(accessKeyId ?? "-")\(hasSecurityToken ? " (STS token set)" : "")")
    return lines + network
  }
}
