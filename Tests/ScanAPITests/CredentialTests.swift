import Foundation
import Testing

@testable import ScanAPI

struct CredentialTests {
  /// A temporary HOME, optionally with an aliyun-cli config file of the given mode.
  final class Home {
    let path: String

    init(config: String? = nil, mode: Int = 0o600) throws {
      path = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-home-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: path + "/.aliyun", withIntermediateDirectories: true)
      if let config {
        let file = path + "/.aliyun/config.json"
        try Data(config.utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
      }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func resolve(_ environment: [String: String] = [:], profile: String? = nil) throws -> ResolvedConnection {
      try CredentialResolver(environment: environment, homeDirectory: path).resolve(profile: profile)
    }
  }

  static let config = """
    {"current": "prod", "profiles": [
      {"name": "prod", "mode": "AK", "access_key_id": "LTAI5tProdKeyId1234", "access_key_secret": "prod-secret-XYZ",
       "region_id": "cn-hangzhou"},
      {"name": "temp", "mode": "StsToken", "access_key_id": "STS.tempKeyId5678", "access_key_secret": "temp-secret",
       "sts_token": "CAIS-token-ABC", "region_id": "cn-shanghai", "endpoint": "avds.example.test"},
      {"name": "role", "mode": "RamRoleArn", "access_key_id": "x", "access_key_secret": "y"},
      {"name": "empty", "mode": "AK", "access_key_id": "", "access_key_secret": ""}
    ]}
    """

  static func message(_ body: () throws -> Any) -> String? {
    do {
      _ = try body()
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test func explicitProfileWins() throws {
    let home = try Home(config: Self.config)
    let resolved = try home.resolve(
      ["ALIBABA_CLOUD_ACCESS_KEY_ID": "envid", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "envsecret"], profile: "temp")
    #expect(
      resolved.credentials
        == Credentials(
          accessKeyId: "STS.tempKeyId5678", accessKeySecret: "temp-secret", securityToken: "CAIS-token-ABC"))
    #expect(resolved.source == .cliProfile(name: "temp", mode: "StsToken"))
    #expect(resolved.region == "cn-shanghai")
    #expect(resolved.endpoint == "avds.example.test")
    #expect(resolved.warnings.isEmpty)
  }

  @Test func environmentComesBeforeTheCurrentProfile() throws {
    let home = try Home(config: Self.config)
    let resolved = try home.resolve([
      "ALIBABA_CLOUD_ACCESS_KEY_ID": "envid", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "envsecret",
      "ALIBABA_CLOUD_SECURITY_TOKEN": "tok", "ALIBABA_CLOUD_REGION_ID": "cn-beijing",
    ])
    #expect(
      resolved.credentials == Credentials(accessKeyId: "envid", accessKeySecret: "envsecret", securityToken: "tok"))
    #expect(resolved.source == .environment)
    #expect(resolved.region == "cn-beijing")
  }

  @Test func theFilesCurrentProfileThenNamedByEnvironment() throws {
    let home = try Home(config: Self.config)
    #expect(try home.resolve().profileName == "prod")
    #expect(try home.resolve().region == "cn-hangzhou")
    #expect(try home.resolve(["ALIBABA_CLOUD_PROFILE": "temp"]).profileName == "temp")
    #expect(try home.resolve(["ALIBABA_CLOUD_REGION_ID": "cn-beijing"]).region == "cn-hangzhou")
  }

  @Test func noCredentialsMeansDemo() throws {
    #expect(try Home().resolve().source == .demo)
    let emptyCurrent = try Home(config: #"{"current":"empty","profiles":[{"name":"empty","mode":"AK"}]}"#)
    #expect(try emptyCurrent.resolve().source == .demo)
    #expect(try emptyCurrent.resolve().credentials == nil)
  }

  /// A config file that is not JSON: the error says where, as an editor counts.
  @Test func brokenJSONIsPlaced() throws {
    let home = try Home(config: "{\"current\": \"p\",\n  \"profiles\": [\n    {\"name\": \"p\" \"mode\": \"AK\"}\n]}\n")
    #expect(
      Self.message { try home.resolve() }
        == "~/.aliyun/config.json:3:18: not valid JSON: expected ',' or '}', found '\"'")
  }

  @Test func clearErrors() throws {
    let home = try Home(config: Self.config)
    #expect(
      Self.message { try home.resolve(profile: "role") }
        == "profile 'role' (RamRoleArn) has no ram_role_arn")
    #expect(
      Self.message { try home.resolve(profile: "nope") }
        == "no profile 'nope' in ~/.aliyun/config.json (profiles: prod, temp, role, empty)")
    #expect(
      Self.message { try home.resolve(profile: "empty") } == "profile 'empty' has no access_key_id or access_key_secret"
    )
    #expect(
      Self.message { try Home().resolve(profile: "prod") }
        == "--profile prod: ~/.aliyun/config.json does not exist (create it with `aliyun configure --profile prod`)")
    #expect(
      Self.message { try Home().resolve(["ALIBABA_CLOUD_ACCESS_KEY_ID": "id"]) }
        == "ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not")
    #expect(
      Self.message { try Home(config: "{not json").resolve() }
        == "~/.aliyun/config.json:1:2: not valid JSON: expected a quoted key, found 'n'")
    // Valid JSON of the wrong shape.
    #expect(
      Self.message { try Home(config: #"{"profiles": 3}"#).resolve() }
        == "~/.aliyun/config.json is not a valid aliyun-cli config file")
  }

  @Test func modeNamesCompareCaseInsensitively() throws {
    let home = try Home(
      config:
        #"{"profiles":[{"name":"p","mode":"ststoken","access_key_id":"a","access_key_secret":"b","sts_token":"t"}]}"#)
    #expect(try home.resolve(profile: "p").credentials?.securityToken == "t")
  }

  @Test func warnsWhenOthersCanReadTheConfig() throws {
    let home = try Home(config: Self.config, mode: 0o644)
    #expect(
      try home.resolve().warnings == [
        "~/.aliyun/config.json is readable by others (mode 644); run: chmod 600 ~/.aliyun/config.json"
      ])
  }

  @Test func secretsNeverPrint() {
    let credentials = Credentials(
      accessKeyId: "LTAI5tAbCdEfGh1234", accessKeySecret: "SUPER-SECRET", securityToken: "TOKEN-XYZ")
    #expect("\(credentials)" == "AccessKey LTAI****1234 with an STS token")
    #expect(String(reflecting: credentials) == "AccessKey LTAI****1234 with an STS token")
    #expect(Credentials.mask("testid") == "****id")
  }
}
