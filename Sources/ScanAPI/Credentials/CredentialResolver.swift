import Foundation

/// Resolves credentials the way DESIGN.md §2 orders them: `--profile` from aliyun-cli's
/// `~/.aliyun/config.json`, then the `ALIBABA_CLOUD_*` environment variables, then
/// `ALIBABA_CLOUD_PROFILE` or the file's current profile; with none, demo mode.
public struct CredentialResolver: Sendable {
  public var environment: [String: String]
  public var homeDirectory: String

  public init(environment: [String: String], homeDirectory: String) {
    self.environment = environment
    self.homeDirectory = homeDirectory
  }

  var configPath: String { homeDirectory + "/.aliyun/config.json" }
  static let shownConfigPath = "~/.aliyun/config.json"

  /// `warn` hears of problems as they are found, even when resolution then fails.
  public func resolve(profile requested: String?, warn: (String) -> Void = { _ in }) throws -> ResolvedConnection {
    var warnings: [String] = []
    let file = try loadConfig(warnings: &warnings)
    for warning in warnings { warn(warning) }
    var resolved: ResolvedConnection
    if let requested {
      guard let file else {
        throw ScanAPIError.credentials(
          "--profile \(requested): \(Self.shownConfigPath) does not exist (create it with `aliyun configure --profile \(requested)`)"
        )
      }
      resolved = try connection(fromProfile: requested, in: file, explicit: true)
    } else if let fromEnvironment = try environmentCredentials() {
      resolved = ResolvedConnection(credentials: fromEnvironment, source: .environment)
    } else if let named = nonEmpty("ALIBABA_CLOUD_PROFILE") {
      guard let file else {
        throw ScanAPIError.credentials(
          "ALIBABA_CLOUD_PROFILE=\(named): \(Self.shownConfigPath) does not exist")
      }
      resolved = try connection(fromProfile: named, in: file, explicit: true)
    } else if let file, let current = file.current, !current.isEmpty {
      resolved = try connection(fromProfile: current, in: file, explicit: false)
    } else {
      resolved = ResolvedConnection(credentials: nil, source: .demo)
    }
    // As in aliyun-cli, the environment fills what nothing else set.
    resolved.region = resolved.region ?? nonEmpty("ALIBABA_CLOUD_REGION_ID")
    resolved.endpoint = resolved.endpoint ?? nonEmpty("ALIBABA_CLOUD_ENDPOINT")
    resolved.warnings = warnings
    return resolved
  }

  private func nonEmpty(_ name: String) -> String? {
    guard let value = environment[name], !value.isEmpty else { return nil }
    return value
  }

  private func environmentCredentials() throws -> Credentials? {
    let id = nonEmpty("ALIBABA_CLOUD_ACCESS_KEY_ID")
    let secret = nonEmpty("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
    switch (id, secret) {
    case (let id?, let secret?):
      return Credentials(
        accessKeyId: id, accessKeySecret: secret, securityToken: nonEmpty("ALIBABA_CLOUD_SECURITY_TOKEN"))
    case (nil, nil):
      return nil
    case (_?, nil):
      throw ScanAPIError.credentials("ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not")
    case (nil, _?):
      throw ScanAPIError.credentials("ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not")
    }
  }

  private func loadConfig(warnings: inout [String]) throws -> AliyunConfigFile? {
    guard let data = FileManager.default.contents(atPath: configPath) else { return nil }
    if let attributes = try? FileManager.default.attributesOfItem(atPath: configPath),
      let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0
    {
      warnings.append(
        "\(Self.shownConfigPath) is readable by others (mode \(String(mode & 0o777, radix: 8))); "
          + "run: chmod 600 \(Self.shownConfigPath)")
    }
    do {
      return try JSONDecoder().decode(AliyunConfigFile.self, from: data)
    } catch {
      throw ScanAPIError.credentials("\(Self.shownConfigPath) is not a valid aliyun-cli config file")
    }
  }

  private func connection(fromProfile name: String, in file: AliyunConfigFile, explicit: Bool) throws
    -> ResolvedConnection
  {
    guard let profile = file.profiles.first(where: { $0.name == name }) else {
      let known = file.profiles.map(\.name).joined(separator: ", ")
      throw ScanAPIError.credentials(
        "no profile '\(name)' in \(Self.shownConfigPath)" + (known.isEmpty ? "" : " (profiles: \(known))"))
    }
    let source = CredentialSource.profile(name: name, path: Self.shownConfigPath)
    let mode = profile.mode ?? "AK"
    let id = profile.accessKeyId ?? ""
    let secret = profile.accessKeySecret ?? ""
    let credentials: Credentials
    switch mode.lowercased() {
    case "ak":
      credentials = Credentials(accessKeyId: id, accessKeySecret: secret)
    case "ststoken":
      guard let token = profile.stsToken, !token.isEmpty else {
        throw ScanAPIError.credentials("profile '\(name)' is in StsToken mode but has no sts_token")
      }
      credentials = Credentials(accessKeyId: id, accessKeySecret: secret, securityToken: token)
    default:
      throw ScanAPIError.credentials(
        "profile '\(name)' uses mode '\(mode)', which scansh does not support yet; "
          + "use an AK or StsToken profile, or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET")
    }
    if id.isEmpty || secret.isEmpty {
      // aliyun-cli writes an empty default profile; only a profile asked for by name must be complete.
      guard explicit else { return ResolvedConnection(credentials: nil, source: .demo) }
      throw ScanAPIError.credentials("profile '\(name)' has no access_key_id or access_key_secret")
    }
    return ResolvedConnection(
      credentials: credentials, source: source, region: profile.regionId.flatMap { $0.isEmpty ? nil : $0 },
      endpoint: profile.endpoint.flatMap { $0.isEmpty ? nil : $0 })
  }
}
