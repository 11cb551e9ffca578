/// Where the credentials in use came from, named the way the official SDKs name their providers.
public enum CredentialSource: Sendable, Equatable, CustomStringConvertible {
  /// `ALIBABA_CLOUD_ACCESS_KEY_ID` and friends.
  case environment
  /// `ALIBABA_CLOUD_ROLE_ARN`, `_OIDC_PROVIDER_ARN` and `_OIDC_TOKEN_FILE`.
  case oidcEnvironment
  /// A profile of aliyun-cli's config file, and its mode.
  case cliProfile(name: String, mode: String)
  /// A section of the SDKs' INI file, and its type.
  case ini(section: String, type: String)
  case ecsRamRole(role: String?)
  case credentialsURI
  /// No credentials anywhere: the in-process simulator.
  case demo

  public var description: String {
    switch self {
    case .environment: "env"
    case .oidcEnvironment: "oidc_role_arn"
    case .cliProfile(let name, let mode): "cli_profile:\(name) (\(mode))"
    case .ini(let section, let type): "ini:\(section) (\(type))"
    case .ecsRamRole(let role): "ecs_ram_role:\(role ?? "(discovered)")"
    case .credentialsURI: "credentials_uri"
    case .demo: "none (demo mode)"
    }
  }

  /// How errors name these credentials: `profile 'ci'`.
  public var subject: String {
    switch self {
    case .environment: "the environment's keys"
    case .oidcEnvironment: "the environment's OIDC role"
    case .cliProfile(let name, _): "profile '\(name)'"
    case .ini(let section, _): "INI section '\(section)'"
    case .ecsRamRole: "the ECS instance role"
    case .credentialsURI: "the credentials URI"
    case .demo: "demo mode"
    }
  }
}

/// What the credential chain settled on.
public struct ResolvedConnection: Sendable, Equatable {
  /// How to obtain the credentials; nil when none were found.
  public var spec: CredentialSpec?
  public var source: CredentialSource
  public var region: String?
  /// As configured; validated into an `Endpoint` by the caller.
  public var endpoint: String?
  /// Non-fatal findings, such as a config file others can read.
  public var warnings: [String]

  public init(
    spec: CredentialSpec?, source: CredentialSource, region: String? = nil, endpoint: String? = nil,
    warnings: [String] = []
  ) {
    self.spec = spec
    self.source = source
    self.region = region
    self.endpoint = endpoint
    self.warnings = warnings
  }

  /// Static credentials, when that is what the chain found.
  public var credentials: Credentials? { spec?.fixedCredentials }

  public var profileName: String? {
    if case .cliProfile(let name, _) = source { return name }
    return nil
  }
}
