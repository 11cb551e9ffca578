#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// How to obtain credentials, decided by the chain without any network call: a plan that can be
/// read (and tested) before anything connects. `CredentialProviders.make` carries it out.
public indirect enum CredentialSpec: Sendable, Equatable {
  /// A key pair (with a token when temporary) as configured; `expires` for cached STS.
  case fixed(Credentials, expires: Date? = nil)
  /// STS AssumeRole, signed with the source's credentials.
  case assumeRole(source: CredentialSpec, role: RoleRequest)
  /// STS AssumeRoleWithOIDC: unsigned, the token file read afresh at every refresh.
  case oidc(providerArn: String, tokenFile: String, role: RoleRequest)
  /// The ECS instance role, from the instance metadata service.
  case ecsRamRole(roleName: String?, metadata: MetadataSettings)
  /// A URL answering with temporary credentials.
  case credentialsURI(String)
  /// aliyun-cli's External mode: a command (run without a shell) prints a profile as JSON.
  case external(command: [String])

  /// The role asked for, and the STS endpoint to ask.
  public struct RoleRequest: Sendable, Equatable {
    public var roleArn: String
    public var sessionName: String
    public var durationSeconds: Int
    public var policy: String?
    public var externalId: String?
    /// `https://sts.aliyuncs.com/` or an override (http only to loopback).
    public var stsEndpoint: String

    public init(
      roleArn: String, sessionName: String, durationSeconds: Int = 3600, policy: String? = nil,
      externalId: String? = nil, stsEndpoint: String
    ) {
      self.roleArn = roleArn
      self.sessionName = sessionName
      self.durationSeconds = durationSeconds
      self.policy = policy
      self.externalId = externalId
      self.stsEndpoint = stsEndpoint
    }
  }

  public struct MetadataSettings: Sendable, Equatable {
    public static let defaultEndpoint = "http://100.100.100.200"
    public var endpoint: String
    /// `ALIBABA_CLOUD_IMDSV1_DISABLED=true`: a failed IMDSv2 token is fatal.
    public var v1Disabled: Bool

    public init(endpoint: String = Self.defaultEndpoint, v1Disabled: Bool = false) {
      self.endpoint = endpoint
      self.v1Disabled = v1Disabled
    }
  }

  /// The static credentials, when that is what this is.
  public var fixedCredentials: Credentials? {
    if case .fixed(let credentials, _) = self { return credentials }
    return nil
  }

  /// The role ARN assumed, for `show config`.
  public var roleArn: String? {
    switch self {
    case .assumeRole(_, let role), .oidc(_, _, let role): role.roleArn
    default: nil
    }
  }
}
