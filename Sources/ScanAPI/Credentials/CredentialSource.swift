/// Where the credentials in use came from, for banners and `show config`.
public enum CredentialSource: Sendable, Equatable, CustomStringConvertible {
  /// A profile of aliyun-cli's config file.
  case profile(name: String, path: String)
  /// `ALIBABA_CLOUD_ACCESS_KEY_ID` and friends.
  case environment
  /// No credentials anywhere: the in-process simulator.
  case demo

  public var description: String {
    switch self {
    case .profile(let name, let path): "profile '\(name)' in \(path)"
    case .environment: "environment (ALIBABA_CLOUD_ACCESS_KEY_ID)"
    case .demo: "none (demo mode)"
    }
  }
}

/// What the credential chain settled on.
public struct ResolvedConnection: Sendable, Equatable {
  public var credentials: Credentials?
  public var source: CredentialSource
  public var region: String?
  /// As configured; validated into an `Endpoint` by the caller.
  public var endpoint: String?
  /// Non-fatal findings, such as a config file others can read.
  public var warnings: [String]

  public init(
    credentials: Credentials?, source: CredentialSource, region: String? = nil, endpoint: String? = nil,
    warnings: [String] = []
  ) {
    self.credentials = credentials
    self.source = source
    self.region = region
    self.endpoint = endpoint
    self.warnings = warnings
  }

  public var profileName: String? {
    if case .profile(let name, _) = source { return name }
    return nil
  }
}
