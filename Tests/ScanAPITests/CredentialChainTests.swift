import Foundation
import Testing

@testable import ScanAPI

/// The chain and every mode as plans: which step wins, what it would call, with what. Nothing here
/// connects (defaults such as the metadata address are checked by reading the plan).
struct CredentialChainTests {
  final class Home {
    let path: String

    init(config: String? = nil, ini: String? = nil) throws {
      path = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-chain-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: path + "/.aliyun", withIntermediateDirectories: true)
      try FileManager.default.createDirectory(atPath: path + "/.alibabacloud", withIntermediateDirectories: true)
      if let config { try Self.write(config, to: path + "/.aliyun/config.json") }
      if let ini { try Self.write(ini, to: path + "/.alibabacloud/credentials") }
    }

    static func write(_ text: String, to file: String) throws {
      try Data(text.utf8).write(to: URL(fileURLWithPath: file))
      chmod(file, 0o600)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func resolve(_ environment: [String: String] = [:], profile: String? = nil) throws -> ResolvedConnection {
      try CredentialResolver(
        environment: environment, homeDirectory: path, now: { Date(timeIntervalSince1970: 1_793_610_000) }
      ).resolve(profile: profile)
    }
  }

  static let config = """
    {"current": "ci", "profiles": [
      {"name": "ak", "mode": "AK", "access_key_id": "LTAI5tSourceKey0001", "access_key_secret": "source-secret"},
      {"name": "ci", "mode": "RamRoleArn", "access_key_id": "LTAI5tSourceKey0001", "access_key_secret": "source-secret",
       "ram_role_arn": "acs:ram::1234567890123456:role/scanner", "ram_session_name": "ci-run", "expired_seconds": 1800,
       "sts_region": "cn-shanghai", "region_id": "cn-hangzhou"},
      {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "ci",
       "ram_role_arn": "acs:ram::1234567890123456:role/auditor", "sts_endpoint": "http://127.0.0.1:9/"},
      {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop", "ram_role_arn": "acs:ram::1:role/x"},
      {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "scanner-role"},
      {"name": "oidc", "mode": "OIDC", "oidc_provider_arn": "acs:ram::1:oidc-provider/ack", "oidc_token_file": "/var/run/token",
       "ram_role_arn": "acs:ram::1:role/pod"},
      {"name": "uri", "mode": "CredentialsURI", "credentials_uri": "http://127.0.0.1:9/credentials"},
      {"name": "ext", "mode": "External", "process_command": "/usr/local/bin/get-keys --json"},
      {"name": "sso", "mode": "CloudSSO", "access_key_id": "STS.ssoKey", "access_key_secret": "sso-secret",
       "sts_token": "sso-token", "sts_expiration": 1793613600},
      {"name": "stale", "mode": "OAuth", "access_key_id": "STS.old", "access_key_secret": "old", "sts_token": "t",
       "sts_expiration": 1793600000},
      {"name": "short", "mode": "RamRoleArn", "access_key_id": "a", "access_key_secret": "b",
       "ram_role_arn": "acs:ram::1:role/r", "expired_seconds": 600},
      {"name": "odd", "mode": "Biometric"}
    ]}
    """

  @Test func ramRoleArnIsAnAssumeRolePlan() throws {
    let resolved = try Home(config: Self.config).resolve(profile: "ci")
    #expect(resolved.source.description == "cli_profile:ci (RamRoleArn)")
    #expect(
      resolved.spec
        == .assumeRole(
          source: .fixed(Credentials(accessKeyId: "LTAI5tSourceKey0001", accessKeySecret: "source-secret")),
          role: .init(
            roleArn: "acs:ram::1234567890123456:role/scanner", sessionName: "ci-run", durationSeconds: 1800,
            stsEndpoint: "https://sts.cn-shanghai.aliyuncs.com/")))
    #expect(resolved.region == "cn-hangzhou")
  }

  @Test func chainableRolesResolveTheirSourceFirst() throws {
    let home = try Home(config: Self.config)
    let resolved = try home.resolve(profile: "chain")
    guard case .assumeRole(let source, let role)? = resolved.spec, case .assumeRole(_, let first) = source else {
      Issue.record("not a chain: \(String(describing: resolved.spec))")
      return
    }
    #expect(first.roleArn == "acs:ram::1234567890123456:role/scanner")
    #expect(role.roleArn == "acs:ram::1234567890123456:role/auditor")
    #expect(role.stsEndpoint == "http://127.0.0.1:9/")
    #expect(role.sessionName == "scansh-1793610000")
    #expect(
      CredentialTests.message { try home.resolve(profile: "loop") }
        == "profile 'loop': source_profile 'loop' leads back to itself")
  }

  @Test(arguments: [
    ("ecs", "ecs_ram_role:scanner-role"), ("oidc", "cli_profile:oidc (OIDC)"),
    ("uri", "cli_profile:uri (CredentialsURI)"),
    ("ext", "cli_profile:ext (External)"), ("sso", "cli_profile:sso (CloudSSO)"),
  ])
  func everyModeHasAPlan(_ profile: String, _ source: String) throws {
    let resolved = try Home(config: Self.config).resolve(profile: profile)
    switch profile {
    case "ecs":
      #expect(
        resolved.spec
          == .ecsRamRole(
            roleName: "scanner-role", metadata: .init(endpoint: "http://100.100.100.200", v1Disabled: false)))
      #expect(resolved.source.description == "cli_profile:ecs (EcsRamRole)")
    case "oidc":
      #expect(resolved.source.description == source)
      guard case .oidc(let provider, let file, let role)? = resolved.spec else {
        Issue.record("not OIDC")
        return
      }
      #expect(provider == "acs:ram::1:oidc-provider/ack")
      #expect(file == "/var/run/token")
      #expect(role.stsEndpoint == "https://sts.aliyuncs.com/")
    case "uri":
      #expect(resolved.spec == .credentialsURI("http://127.0.0.1:9/credentials"))
    case "ext":
      #expect(resolved.spec == .external(command: ["/usr/local/bin/get-keys", "--json"]))
    default:
      #expect(
        resolved.spec
          == .fixed(
            Credentials(accessKeyId: "STS.ssoKey", accessKeySecret: "sso-secret", securityToken: "sso-token"),
            expires: Date(timeIntervalSince1970: 1_793_613_600)))
    }
  }

  @Test func failuresNameWhatFailed() throws {
    let home = try Home(config: Self.config)
    #expect(
      CredentialTests.message { try home.resolve(profile: "stale") }
        == "profile 'stale' (OAuth): its cached STS credentials expired at 2026-11-02T06:13:20Z; sign in again with aliyun-cli (aliyun configure --profile stale --mode OAuth)"
    )
    #expect(
      CredentialTests.message { try home.resolve(profile: "short") }
        == "expired_seconds is 600, but STS takes at least 900")
    #expect(
      CredentialTests.message { try home.resolve(profile: "odd") }
        == "profile 'odd' uses mode 'Biometric', which scansh does not support (AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC, CredentialsURI, External, CloudSSO, OAuth)"
    )
    #expect(
      CredentialTests.message {
        try home.resolve(["ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS": "true"], profile: "ext")
      } == "profile 'ext' (External) is turned off by ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS")
  }

  /// The chain in order: each step wins over the ones after it.
  @Test func theChainInOrder() throws {
    let keys = ["ALIBABA_CLOUD_ACCESS_KEY_ID": "envid", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "envsecret"]
    let oidc = [
      "ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/pod", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::1:oidc-provider/p",
      "ALIBABA_CLOUD_OIDC_TOKEN_FILE": "/tmp/token", "ALIBABA_CLOUD_ROLE_SESSION_NAME": "pod-1",
    ]
    let ini = """
      [default]
      type = ram_role_arn   # a comment
      access_key_id = iniid
      access_key_secret = inisecret
      role_arn = acs:ram::1:role/ini
      [ecs]
      type = ecs_ram_role
      role_name = from-ini
      """
    let home = try Home(config: Self.config, ini: ini)
    let bare = try Home(ini: ini)
    let nothing = try Home()
    // 1. --profile, over everything.
    #expect(try home.resolve(keys.merging(oidc) { $1 }, profile: "ak").source.description == "cli_profile:ak (AK)")
    // 2. The environment's keys.
    #expect(try home.resolve(keys.merging(oidc) { $1 }).source.description == "env")
    // 3. OIDC from the environment, its session name from ALIBABA_CLOUD_ROLE_SESSION_NAME.
    let fromOIDC = try home.resolve(oidc)
    #expect(fromOIDC.source.description == "oidc_role_arn")
    if case .oidc(_, _, let role)? = fromOIDC.spec { #expect(role.sessionName == "pod-1") }
    // 4. aliyun-cli's current profile; ALIBABA_CLOUD_PROFILE names another; it can be turned off.
    #expect(try home.resolve().source.description == "cli_profile:ci (RamRoleArn)")
    #expect(try home.resolve(["ALIBABA_CLOUD_PROFILE": "ecs"]).source.description == "cli_profile:ecs (EcsRamRole)")
    #expect(
      try home.resolve(["ALIBABA_CLOUD_CLI_PROFILE_DISABLED": "true"]).source.description
        == "ini:default (ram_role_arn)")
    // 5. The INI file, section ALIBABA_CLOUD_PROFILE or default.
    #expect(try bare.resolve().source.description == "ini:default (ram_role_arn)")
    #expect(try bare.resolve(["ALIBABA_CLOUD_PROFILE": "ecs"]).spec?.roleArn == nil)
    #expect(try bare.resolve(["ALIBABA_CLOUD_PROFILE": "ecs"]).source.description == "ini:ecs (ecs_ram_role)")
    // 6. The instance role only when asked for: nothing set is demo mode, with no probe.
    #expect(try nothing.resolve().source == .demo)
    let ecs = try nothing.resolve(["ALIBABA_CLOUD_ECS_METADATA": "scanner-role"])
    #expect(ecs.source.description == "ecs_ram_role:scanner-role")
    #expect(
      ecs.spec
        == .ecsRamRole(roleName: "scanner-role", metadata: .init(endpoint: "http://100.100.100.200", v1Disabled: false))
    )
    let overridden = try nothing.resolve([
      "ALIBABA_CLOUD_ECS_METADATA": "r", "ALIBABA_CLOUD_IMDS_ENDPOINT": "http://127.0.0.1:9",
      "ALIBABA_CLOUD_IMDSV1_DISABLED": "true",
    ])
    #expect(
      overridden.spec == .ecsRamRole(roleName: "r", metadata: .init(endpoint: "http://127.0.0.1:9", v1Disabled: true)))
    // 7. A credentials URI, last.
    #expect(
      try nothing.resolve(["ALIBABA_CLOUD_CREDENTIALS_URI": "http://127.0.0.1:9/c"]).spec
        == .credentialsURI("http://127.0.0.1:9/c"))
  }

  @Test func theSTSEndpoint() throws {
    let resolver = CredentialResolver(environment: [:], homeDirectory: "/nonexistent")
    #expect(resolver.stsEndpoint(configured: nil, region: nil) == "https://sts.aliyuncs.com/")
    #expect(resolver.stsEndpoint(configured: "sts.example.test", region: "x") == "https://sts.example.test/")
    #expect(resolver.stsEndpoint(configured: nil, region: "cn-beijing") == "https://sts.cn-beijing.aliyuncs.com/")
    let vpc = CredentialResolver(
      environment: ["ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED": "true", "ALIBABA_CLOUD_STS_REGION": "cn-beijing"],
      homeDirectory: "/nonexistent")
    #expect(vpc.stsEndpoint(configured: nil, region: nil) == "https://sts-vpc.cn-beijing.aliyuncs.com/")
    let environment = CredentialResolver(
      environment: ["ALIBABA_CLOUD_STS_ENDPOINT": "http://127.0.0.1:7/"], homeDirectory: "/nonexistent")
    #expect(environment.stsEndpoint(configured: nil, region: "cn-beijing") == "http://127.0.0.1:7/")
    // http to anything but loopback is refused when it is used, as for --endpoint.
    #expect(throws: ScanAPIError.self) { try Endpoint("http://sts.aliyuncs.com/") }
    #expect(throws: ScanAPIError.self) { try Endpoint.metadata("http://169.254.169.254") }
    #expect(try Endpoint.metadata("http://100.100.100.200").description == "http://100.100.100.200/")
  }
}
