import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The parts of aliyun-cli's `~/.aliyun/config.json` that scansh reads.
struct AliyunConfigFile: Decodable {
  struct Profile: Decodable {
    var name: String
    var mode: String?
    var accessKeyId: String?
    var accessKeySecret: String?
    var stsToken: String?
    var regionId: String?
    var endpoint: String?
    var ramRoleArn: String?
    var ramRoleName: String?
    var ramSessionName: String?
    var roleSessionName: String?
    var expiredSeconds: Int?
    var externalId: String?
    var policy: String?
    var stsRegion: String?
    var stsEndpoint: String?
    var sourceProfile: String?
    var oidcProviderArn: String?
    var oidcTokenFile: String?
    var credentialsURI: String?
    var processCommand: String?
    /// Unix seconds: when CloudSSO's and OAuth's cached STS credentials expire.
    var stsExpiration: Int?

    enum CodingKeys: String, CodingKey {
      case name, mode, endpoint, policy
      case accessKeyId = "access_key_id"
      case accessKeySecret = "access_key_secret"
      case stsToken = "sts_token"
      case regionId = "region_id"
      case ramRoleArn = "ram_role_arn"
      case ramRoleName = "ram_role_name"
      case ramSessionName = "ram_session_name"
      case roleSessionName = "role_session_name"
      case expiredSeconds = "expired_seconds"
      case externalId = "external_id"
      case stsRegion = "sts_region"
      case stsEndpoint = "sts_endpoint"
      case sourceProfile = "source_profile"
      case oidcProviderArn = "oidc_provider_arn"
      case oidcTokenFile = "oidc_token_file"
      case credentialsURI = "credentials_uri"
      case processCommand = "process_command"
      case stsExpiration = "sts_expiration"
    }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      func text(_ key: CodingKeys) -> String? {
        guard let value = try? container.decodeIfPresent(String.self, forKey: key), !value.isEmpty else { return nil }
        return value
      }
      func number(_ key: CodingKeys) -> Int? {
        (try? container.decodeIfPresent(Int.self, forKey: key)) ?? text(key).flatMap { Int($0) }
      }
      name = try container.decode(String.self, forKey: .name)
      mode = text(.mode)
      accessKeyId = text(.accessKeyId)
      accessKeySecret = text(.accessKeySecret)
      stsToken = text(.stsToken)
      regionId = text(.regionId)
      endpoint = text(.endpoint)
      ramRoleArn = text(.ramRoleArn)
      ramRoleName = text(.ramRoleName)
      ramSessionName = text(.ramSessionName)
      roleSessionName = text(.roleSessionName)
      expiredSeconds = number(.expiredSeconds)
      externalId = text(.externalId)
      policy = text(.policy)
      stsRegion = text(.stsRegion)
      stsEndpoint = text(.stsEndpoint)
      sourceProfile = text(.sourceProfile)
      oidcProviderArn = text(.oidcProviderArn)
      oidcTokenFile = text(.oidcTokenFile)
      credentialsURI = text(.credentialsURI)
      processCommand = text(.processCommand)
      stsExpiration = number(.stsExpiration)
    }
  }

  var current: String?
  var profiles: [Profile]

  enum CodingKeys: String, CodingKey { case current, profiles }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    current = try container.decodeIfPresent(String.self, forKey: .current)
    profiles = try container.decodeIfPresent([Profile].self, forKey: .profiles) ?? []
  }
}

/// The SDKs' INI credentials file: `[section]` then `key = value` lines; `#` and `;` start comments.
struct CredentialsINIFile {
  var sections: [String: [String: String]] = [:]

  init(_ text: String) {
    var section: String?
    for raw in text.split(whereSeparator: \.isNewline) {
      let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        .trimmed(.blanks)
      if line.isEmpty || line.hasPrefix(";") { continue }
      if line.hasPrefix("["), line.hasSuffix("]") {
        section = String(line.dropFirst().dropLast()).trimmed(.blanks)
        if let section { sections[section, default: [:]] = sections[section] ?? [:] }
        continue
      }
      guard let section, let equals = line.firstIndex(of: "=") else { continue }
      let key = line[..<equals].trimmed(.blanks)
      let value = line[line.index(after: equals)...].trimmed(.blanks)
      sections[section]?[key] = value
    }
  }
}
