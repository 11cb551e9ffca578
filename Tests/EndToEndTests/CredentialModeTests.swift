import Foundation
import TestSupport
import Testing

/// Every credential mode and chain step end to end: the built binary, a temporary HOME, and
/// `scansh sim` serving STS and the instance metadata paths on loopback. Nothing reaches a real
/// STS host or 100.100.100.200: both are pointed at the simulator.
@Suite(.serialized)
struct CredentialModeTests {
  static let role = "acs:ram::1234567890123456:role/scanner"

  final class Home: @unchecked Sendable {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-cred-\(UUID().uuidString)").path

    init(config: String? = nil, ini: String? = nil) throws {
      try FileManager.default.createDirectory(atPath: path + "/.aliyun", withIntermediateDirectories: true)
      try FileManager.default.createDirectory(atPath: path + "/.alibabacloud", withIntermediateDirectories: true)
      if let config { try write(config, to: "/.aliyun/config.json") }
      if let ini { try write(ini, to: "/.alibabacloud/credentials") }
    }

    func write(_ text: String, to relative: String, mode: Int32 = 0o600) throws {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path + relative))
      chmod(path + relative, mode_t(mode))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
  }

  /// Runs `scans | count; show config` with only `environment` (no keys of the simulator's own).
  static func run(
    _ simulator: SimulatorProcess, _ home: Home, _ environment: [String: String] = [:], arguments: [String] = []
  ) async throws -> Scansh.Output {
    try await Scansh.run(
      ["--endpoint", simulator.endpoint, "--verbose"] + arguments + ["-c", "scans | count; show config"],
      environment: Scansh.environment(["HOME": home.path].merging(environment) { $1 }))
  }

  /// What every output must not contain: the simulator's secret, issued tokens, signatures.
  static func expectNoSecrets(_ output: Scansh.Output) {
    for secret in ["testsecret", "CAIS", "Signature=", "SecurityToken=", "test-oidc-token"] {
      #expect(!output.stdout.contains(secret), "stdout has \(secret)")
      #expect(!output.stderr.contains(secret), "stderr has \(secret)")
    }
  }

  static func expectCounted(_ output: Scansh.Output, source: String) {
    #expect(output.status == 0, "\(output.stderr)")
    #expect(output.stdout.hasPrefix("250\n"))
    #expect(output.stdout.contains("credentials  \(source)\n"), "\(output.stdout)")
    expectNoSecrets(output)
  }

  @Test func ramRoleArnAndChainableProfiles() async throws {
    let simulator = try SimulatorProcess()
    let home = try Home(
      config: """
        {"current": "ci", "profiles": [
          {"name": "ci", "mode": "RamRoleArn", "access_key_id": "testid", "access_key_secret": "testsecret",
           "ram_role_arn": "\(Self.role)", "ram_session_name": "ci-run", "sts_endpoint": "\(simulator.endpoint)"},
          {"name": "audit", "mode": "ChainableRamRoleArn", "source_profile": "ci",
           "ram_role_arn": "acs:ram::1234567890123456:role/auditor", "sts_endpoint": "\(simulator.endpoint)"}
        ]}
        """)
    let current = try await Self.run(simulator, home)
    Self.expectCounted(current, source: "cli_profile:ci (RamRoleArn)")
    #expect(current.stdout.contains("role         \(Self.role)\n"))
    #expect(current.stdout.contains("expires      2"))
    #expect(current.stderr.contains("> POST AssumeRole RoleArn=\(Self.role) RoleSessionName=ci-run -> HTTP 200"))
    let chained = try await Self.run(simulator, home, arguments: ["--profile", "audit"])
    Self.expectCounted(chained, source: "cli_profile:audit (ChainableRamRoleArn)")
    // The source role first, then the role it chains to, each once.
    #expect(chained.stderr.components(separatedBy: "> POST AssumeRole").count == 3)
  }

  @Test func oidcFromTheEnvironmentAndAProfile() async throws {
    let simulator = try SimulatorProcess()
    let home = try Home(
      config: """
        {"current": "pod", "profiles": [
          {"name": "pod", "mode": "OIDC", "oidc_provider_arn": "acs:ram::1:oidc-provider/ack",
           "oidc_token_file": "TOKEN", "ram_role_arn": "\(Self.role)", "sts_endpoint": "\(simulator.endpoint)"}
        ]}
        """.replacingOccurrences(of: "TOKEN", with: FileManager.default.temporaryDirectory.path + "/none"))
    try home.write("test-oidc-token", to: "/token")
    let environment = [
      "ALIBABA_CLOUD_ROLE_ARN": Self.role, "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::1:oidc-provider/ack",
      "ALIBABA_CLOUD_OIDC_TOKEN_FILE": home.path + "/token", "ALIBABA_CLOUD_STS_ENDPOINT": simulator.endpoint,
    ]
    let fromEnvironment = try await Self.run(simulator, home, environment)
    Self.expectCounted(fromEnvironment, source: "oidc_role_arn")
    #expect(fromEnvironment.stderr.contains("> POST AssumeRoleWithOIDC RoleArn=\(Self.role)"))
    // The profile's token file is missing: exit 2, naming it.
    let missing = try await Self.run(simulator, home)
    #expect(missing.status == 2)
    #expect(
      missing.stderr.hasSuffix(
        "error: the OIDC token file \(FileManager.default.temporaryDirectory.path)/none does not exist\n  in -c:1: scans | count\n"
      ))
    // A token the STS does not accept: exit 3, with the call named.
    try home.write("someone-else", to: "/token")
    let refused = try await Self.run(simulator, home, environment)
    #expect(refused.status == 3)
    #expect(
      refused.stderr.contains(
        "error: AssumeRoleWithOIDC for the environment's OIDC role (role \(Self.role)) failed: AuthenticationFail.OIDCToken.Invalid: The OIDCToken is invalid.\n"
      ))
  }

  @Test func theInstanceRoleOnlyWhenAskedFor() async throws {
    let simulator = try SimulatorProcess()
    let home = try Home()
    let asked = try await Self.run(
      simulator, home,
      [
        "ALIBABA_CLOUD_ECS_METADATA": "scanner-role",
        "ALIBABA_CLOUD_IMDS_ENDPOINT": "http://127.0.0.1:\(simulator.port)",
      ])
    Self.expectCounted(asked, source: "ecs_ram_role:scanner-role")
    #expect(asked.stderr.contains("> PUT instance metadata /latest/api/token -> HTTP 200"))
    #expect(
      asked.stderr.contains(
        "> GET instance metadata /latest/meta-data/ram/security-credentials/scanner-role -> HTTP 200"))
    // A metadata endpoint that does not answer: exit 4, naming it.
    let unreachable = try await Self.run(
      simulator, home,
      ["ALIBABA_CLOUD_ECS_METADATA": "scanner-role", "ALIBABA_CLOUD_IMDS_ENDPOINT": "http://127.0.0.1:1"])
    #expect(unreachable.status == 4)
    #expect(
      unreachable.stderr.contains(
        "error: network error talking to http://127.0.0.1:1/: the instance metadata service: could not connect"))
    // Nothing asked for it: no probe, no credentials, and --endpoint without credentials is an error.
    let notAsked = try await Self.run(simulator, home)
    #expect(notAsked.status == 2)
    #expect(notAsked.stderr.hasPrefix("error: --endpoint is set but no credentials were found"))
  }

  @Test func theINIFileAndACredentialsURI() async throws {
    let simulator = try SimulatorProcess()
    let home = try Home(
      ini: """
        [default]
        type = ram_role_arn
        access_key_id = testid
        access_key_secret = testsecret
        role_arn = \(Self.role)
        role_session_name = from-ini
        """)
    let ini = try await Self.run(simulator, home, ["ALIBABA_CLOUD_STS_ENDPOINT": simulator.endpoint])
    Self.expectCounted(ini, source: "ini:default (ram_role_arn)")
    let document =
      #"{"Code":"Success","AccessKeyId":"testid","AccessKeySecret":"testsecret","SecurityToken":"CAIStoken","Expiration":"2099-01-01T00:00:00Z"}"#
    let uri = try HostileServer { _ in .json(200, document) }
    defer { uri.stop() }
    let bare = try Home()
    let fromURI = try await Self.run(simulator, bare, ["ALIBABA_CLOUD_CREDENTIALS_URI": uri.endpoint])
    Self.expectCounted(fromURI, source: "credentials_uri")
    #expect(fromURI.stdout.contains("expires      2099-01-01T00:00:00Z\n"))
  }

  @Test func externalAndCachedSignInProfiles() async throws {
    let simulator = try SimulatorProcess()
    let home = try Home()
    try home.write(
      "#!/bin/sh\necho '{\"mode\":\"AK\",\"access_key_id\":\"testid\",\"access_key_secret\":\"testsecret\"}'\n",
      to: "/keys.sh", mode: 0o700)
    try home.write(
      """
      {"current": "ext", "profiles": [
        {"name": "ext", "mode": "External", "process_command": "\(home.path)/keys.sh --json"},
        {"name": "sso", "mode": "CloudSSO", "access_key_id": "testid", "access_key_secret": "testsecret",
         "sts_token": "CAIScached", "sts_expiration": 4102444800},
        {"name": "old", "mode": "CloudSSO", "access_key_id": "testid", "access_key_secret": "testsecret",
         "sts_token": "CAIScached", "sts_expiration": 1000}
      ]}
      """, to: "/.aliyun/config.json")
    Self.expectCounted(try await Self.run(simulator, home), source: "cli_profile:ext (External)")
    let disabled = try await Self.run(simulator, home, ["ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS": "1"])
    #expect(disabled.status == 2)
    #expect(
      disabled.stderr == "error: profile 'ext' (External) is turned off by ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS\n")
    Self.expectCounted(
      try await Self.run(simulator, home, arguments: ["--profile", "sso"]), source: "cli_profile:sso (CloudSSO)")
    let old = try await Self.run(simulator, home, arguments: ["--profile", "old"])
    #expect(old.status == 2)
    #expect(
      old.stderr
        == "error: profile 'old' (CloudSSO): its cached STS credentials expired at 1970-01-01T00:16:40Z; sign in again with aliyun-cli (aliyun configure --profile old --mode CloudSSO)\n"
    )
  }

  @Test func failuresNameWhatFailed() async throws {
    let simulator = try SimulatorProcess()
    func profile(_ role: String, endpoint: String) -> String {
      """
      {"current": "ci", "profiles": [{"name": "ci", "mode": "RamRoleArn", "access_key_id": "testid",
        "access_key_secret": "testsecret", "ram_role_arn": "\(role)", "sts_endpoint": "\(endpoint)"}]}
      """
    }
    let forbidden = try await Self.run(
      simulator, try Home(config: profile("acs:ram::1234567890123456:role/forbidden", endpoint: simulator.endpoint)))
    #expect(forbidden.status == 3)
    #expect(
      forbidden.stderr.contains(
        "error: AssumeRole for profile 'ci' (role acs:ram::1234567890123456:role/forbidden) failed: NoPermission: You are not authorized to do this action. You should be authorized by RAM.\n"
      ))
    let unknown = try await Self.run(
      simulator, try Home(config: profile("acs:ram::1234567890123456:role/nobody", endpoint: simulator.endpoint)))
    #expect(unknown.status == 3)
    #expect(
      unknown.stderr.contains(
        "failed: EntityNotExist.Role: The role not exists: acs:ram::1234567890123456:role/nobody.\n"))
    let unreachable = try await Self.run(
      simulator, try Home(config: profile(Self.role, endpoint: "http://127.0.0.1:1/")))
    #expect(unreachable.status == 4)
    #expect(
      unreachable.stderr.contains(
        "error: network error talking to http://127.0.0.1:1/: AssumeRole for profile 'ci' (role \(Self.role)) failed: could not connect"
      ))
    // Plain http to a real STS host is refused before anything is sent.
    let plain = try await Self.run(
      simulator, try Home(config: profile(Self.role, endpoint: "http://sts.aliyuncs.com/")))
    #expect(plain.status == 2)
    #expect(plain.stderr.contains("error: refusing plain http:// to 'sts.aliyuncs.com'"))
    for output in [forbidden, unknown, unreachable, plain] { Self.expectNoSecrets(output) }
  }

  @Test func aBrokenConfigFileIsPlaced() async throws {
    let home = try Home()
    try home.write("{\"current\": \"p\",\n  \"profiles\": [}\n", to: "/.aliyun/config.json")
    let output = try await Scansh.run(["-c", "scans | count"], environment: Scansh.environment(["HOME": home.path]))
    #expect(output.status == 2)
    #expect(output.stderr == "error: ~/.aliyun/config.json:2:16: not valid JSON: unexpected '}'\n")
  }

  @Test func demoModeSaysWhyItIsOn() async throws {
    let home = try Home()
    let none = try await Scansh.run(
      ["-c", "scans | count"], environment: Scansh.demoEnvironment().merging(["HOME": home.path]) { $1 })
    #expect(
      none.stderr == "scansh: demo mode: no credentials found, so statements run against the built-in simulator\n")
    let asked = try await Scansh.run(
      ["--demo", "-c", "scans | count"],
      environment: Scansh.demoEnvironment().merging([
        "HOME": home.path, "ALIBABA_CLOUD_ACCESS_KEY_ID": "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "secret",
      ]) { $1 })
    #expect(asked.stderr == "scansh: demo mode (--demo): statements run against the built-in simulator\n")
    #expect(asked.stdout == "240\n")
  }
}
