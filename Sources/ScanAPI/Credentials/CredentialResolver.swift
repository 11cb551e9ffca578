import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// Resolves credentials the way the official SDKs do, with aliyun-cli's `--profile` in front:
///
/// 1. `--profile NAME` (aliyun-cli's config file, any supported mode);
/// 2. `ALIBABA_CLOUD_ACCESS_KEY_ID` + `_SECRET` (+ `_SECURITY_TOKEN`);
/// 3. OIDC from `ALIBABA_CLOUD_ROLE_ARN`, `_OIDC_PROVIDER_ARN` and `_OIDC_TOKEN_FILE`;
/// 4. aliyun-cli's config file (`ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`), profile
///    `ALIBABA_CLOUD_PROFILE` or the file's `current`, unless `ALIBABA_CLOUD_CLI_PROFILE_DISABLED`;
/// 5. the SDKs' INI file (`ALIBABA_CLOUD_CREDENTIALS_FILE`, else `~/.alibabacloud/credentials`),
///    section `ALIBABA_CLOUD_PROFILE` or `default`;
/// 6. the ECS instance role, only when `ALIBABA_CLOUD_ECS_METADATA` names it (no probing);
/// 7. `ALIBABA_CLOUD_CREDENTIALS_URI`.
///
/// Nothing here connects: the result is a plan (`CredentialSpec`) and where it came from.
public struct CredentialResolver: Sendable {
  public var environment: [String: String]
  public var homeDirectory: String
  public var now: @Sendable () -> Date

  public init(environment: [String: String], homeDirectory: String, now: @escaping @Sendable () -> Date = { Date() }) {
    self.environment = environment
    self.homeDirectory = homeDirectory
    self.now = now
  }

  var configPath: String { nonEmpty("ALIBABA_CLOUD_CONFIG_FILE") ?? homeDirectory + "/.aliyun/config.json" }
  public var shownConfigPath: String {
    nonEmpty("ALIBABA_CLOUD_CONFIG_FILE") ?? "~/.aliyun/config.json"
  }
  var iniPath: String {
    nonEmpty("ALIBABA_CLOUD_CREDENTIALS_FILE") ?? homeDirectory + "/.alibabacloud/credentials"
  }

  /// The names of aliyun-cli's profiles, in the file's order (`--all-profiles`).
  public func profileNames() throws -> [String] {
    var warnings: [String] = []
    return try loadConfig(warnings: &warnings)?.profiles.map(\.name) ?? []
  }

  /// `warn` hears of problems as they are found, even when resolution then fails.
  public func resolve(profile requested: String?, warn: (String) -> Void = { _ in }) throws -> ResolvedConnection {
    var warnings: [String] = []
    let file = try loadConfig(warnings: &warnings)
    for warning in warnings { warn(warning) }
    var resolved = try chain(requested: requested, file: file)
    // As in aliyun-cli, the environment fills what nothing else set.
    resolved.region = resolved.region ?? nonEmpty("ALIBABA_CLOUD_REGION_ID")
    resolved.endpoint = resolved.endpoint ?? nonEmpty("ALIBABA_CLOUD_ENDPOINT")
    resolved.warnings = warnings
    return resolved
  }

  private func chain(requested: String?, file: AliyunConfigFile?) throws -> ResolvedConnection {
    if let requested {
      guard let file else {
        throw ScanAPIError.credentials(
          "--profile \(requested): \(shownConfigPath) does not exist (create it with `aliyun configure --profile \(requested)`)"
        )
      }
      return try connection(fromProfile: requested, in: file, explicit: true)!
    }
    if let keys = try environmentCredentials() {
      return ResolvedConnection(spec: .fixed(keys), source: .environment)
    }
    if let roleArn = nonEmpty("ALIBABA_CLOUD_ROLE_ARN"), let providerArn = nonEmpty("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"),
      let tokenFile = nonEmpty("ALIBABA_CLOUD_OIDC_TOKEN_FILE")
    {
      let role = try roleRequest(arn: roleArn, session: nil, seconds: nil, region: nil, endpoint: nil)
      return ResolvedConnection(
        spec: .oidc(providerArn: providerArn, tokenFile: tokenFile, role: role), source: .oidcEnvironment)
    }
    if !isTrue("ALIBABA_CLOUD_CLI_PROFILE_DISABLED"), let file {
      if let named = nonEmpty("ALIBABA_CLOUD_PROFILE") {
        return try connection(fromProfile: named, in: file, explicit: true)!
      }
      if let current = file.current, !current.isEmpty,
        let found = try connection(fromProfile: current, in: file, explicit: false)
      {
        return found
      }
    }
    if let found = try iniConnection() { return found }
    if let role = nonEmpty("ALIBABA_CLOUD_ECS_METADATA"), !isTrue("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
      return ResolvedConnection(spec: .ecsRamRole(roleName: role, metadata: metadata), source: .ecsRamRole(role: role))
    }
    if let uri = nonEmpty("ALIBABA_CLOUD_CREDENTIALS_URI") {
      return ResolvedConnection(spec: .credentialsURI(uri), source: .credentialsURI)
    }
    return ResolvedConnection(spec: nil, source: .demo)
  }

  func nonEmpty(_ name: String) -> String? {
    guard let value = environment[name], !value.isEmpty else { return nil }
    return value
  }

  private func isTrue(_ name: String) -> Bool {
    ["true", "1"].contains(environment[name]?.lowercased() ?? "")
  }

  private var metadata: CredentialSpec.MetadataSettings {
    CredentialSpec.MetadataSettings(
      endpoint: nonEmpty("ALIBABA_CLOUD_IMDS_ENDPOINT") ?? CredentialSpec.MetadataSettings.defaultEndpoint,
      v1Disabled: isTrue("ALIBABA_CLOUD_IMDSV1_DISABLED"))
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

  /// The STS endpoint: `sts_endpoint`, `ALIBABA_CLOUD_STS_ENDPOINT`, the region's (`sts-vpc.` with
  /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`), else `sts.aliyuncs.com`; https unless loopback.
  func stsEndpoint(configured: String?, region: String?) -> String {
    if let configured = configured ?? nonEmpty("ALIBABA_CLOUD_STS_ENDPOINT") {
      return configured.contains("://") ? configured : "https://\(configured)/"
    }
    if let region = region ?? nonEmpty("ALIBABA_CLOUD_STS_REGION") {
      let prefix = isTrue("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED") ? "sts-vpc" : "sts"
      return "https://\(prefix).\(region).aliyuncs.com/"
    }
    return "https://sts.aliyuncs.com/"
  }

  func roleRequest(
    arn: String, session: String?, seconds: Int?, region: String?, endpoint: String?, policy: String? = nil,
    externalId: String? = nil
  ) throws -> CredentialSpec.RoleRequest {
    let duration = seconds ?? 3600
    guard duration >= 900 else {
      throw ScanAPIError.credentials("expired_seconds is \(duration), but STS takes at least 900")
    }
    let name =
      session ?? nonEmpty("ALIBABA_CLOUD_ROLE_SESSION_NAME") ?? "scansh-\(Int(now().timeIntervalSince1970))"
    return CredentialSpec.RoleRequest(
      roleArn: arn, sessionName: name, durationSeconds: duration, policy: policy, externalId: externalId,
      stsEndpoint: stsEndpoint(configured: endpoint, region: region))
  }

  private func loadConfig(warnings: inout [String]) throws -> AliyunConfigFile? {
    guard let data = FileManager.default.contents(atPath: configPath) else { return nil }
    var info = stat()
    if stat(configPath, &info) == 0, case let mode = Int(info.st_mode), mode & 0o077 != 0 {
      warnings.append(
        "\(shownConfigPath) is readable by others (mode \(String(mode & 0o777, radix: 8))); "
          + "run: chmod 600 \(shownConfigPath)")
    }
    // Where the JSON breaks, as a line and column an editor can go to.
    if let syntax = Self.syntaxError(in: data) {
      let (line, column) = Self.location(of: syntax.offset, in: data)
      throw ScanAPIError.credentials("\(shownConfigPath):\(line):\(column): not valid JSON: \(syntax.message)")
    }
    do {
      return try JSONDecoder().decode(AliyunConfigFile.self, from: data)
    } catch {
      throw ScanAPIError.credentials("\(shownConfigPath) is not a valid aliyun-cli config file")
    }
  }

  /// A profile's plan; nil for an incomplete one nobody asked for by name (aliyun-cli writes an
  /// empty default profile).
  func connection(fromProfile name: String, in file: AliyunConfigFile, explicit: Bool, visited: Set<String> = [])
    throws -> ResolvedConnection?
  {
    guard let profile = file.profiles.first(where: { $0.name == name }) else {
      let known = file.profiles.map(\.name).joined(separator: ", ")
      throw ScanAPIError.credentials(
        "no profile '\(name)' in \(shownConfigPath)" + (known.isEmpty ? "" : " (profiles: \(known))"))
    }
    let mode = profile.mode ?? "AK"
    let source = CredentialSource.cliProfile(name: name, mode: mode)
    func keys() throws -> Credentials? {
      guard let id = profile.accessKeyId, let secret = profile.accessKeySecret else {
        guard explicit else { return nil }
        throw ScanAPIError.credentials("profile '\(name)' has no access_key_id or access_key_secret")
      }
      return Credentials(accessKeyId: id, accessKeySecret: secret, securityToken: profile.stsToken)
    }
    func role(_ arn: String?) throws -> CredentialSpec.RoleRequest {
      guard let arn else { throw ScanAPIError.credentials("profile '\(name)' (\(mode)) has no ram_role_arn") }
      return try roleRequest(
        arn: arn, session: profile.ramSessionName ?? profile.roleSessionName, seconds: profile.expiredSeconds,
        region: profile.stsRegion, endpoint: profile.stsEndpoint, policy: profile.policy,
        externalId: profile.externalId)
    }
    let spec: CredentialSpec
    switch mode.lowercased() {
    case "ak":
      guard let keys = try keys() else { return nil }
      spec = .fixed(Credentials(accessKeyId: keys.accessKeyId, accessKeySecret: keys.accessKeySecret))
    case "ststoken":
      guard profile.stsToken != nil else {
        throw ScanAPIError.credentials("profile '\(name)' is in StsToken mode but has no sts_token")
      }
      guard let keys = try keys() else { return nil }
      spec = .fixed(keys)
    case "ramrolearn":
      guard let keys = try keys() else { return nil }
      spec = .assumeRole(source: .fixed(keys), role: try role(profile.ramRoleArn))
    case "chainableramrolearn":
      guard let sourceName = profile.sourceProfile else {
        throw ScanAPIError.credentials("profile '\(name)' (ChainableRamRoleArn) has no source_profile")
      }
      guard !visited.contains(sourceName), sourceName != name else {
        throw ScanAPIError.credentials("profile '\(name)': source_profile '\(sourceName)' leads back to itself")
      }
      guard
        let sourceSpec = try connection(
          fromProfile: sourceName, in: file, explicit: true, visited: visited.union([name]))?.spec
      else { throw ScanAPIError.credentials("profile '\(name)': source_profile '\(sourceName)' has no credentials") }
      spec = .assumeRole(source: sourceSpec, role: try role(profile.ramRoleArn))
    case "ecsramrole":
      spec = .ecsRamRole(roleName: profile.ramRoleName, metadata: metadata)
    case "oidc":
      guard let providerArn = profile.oidcProviderArn ?? nonEmpty("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"),
        let tokenFile = profile.oidcTokenFile ?? nonEmpty("ALIBABA_CLOUD_OIDC_TOKEN_FILE")
      else {
        throw ScanAPIError.credentials("profile '\(name)' (OIDC) needs oidc_provider_arn and oidc_token_file")
      }
      spec = .oidc(
        providerArn: providerArn, tokenFile: tokenFile,
        role: try role(profile.ramRoleArn ?? nonEmpty("ALIBABA_CLOUD_ROLE_ARN")))
    case "credentialsuri":
      guard let uri = profile.credentialsURI ?? nonEmpty("ALIBABA_CLOUD_CREDENTIALS_URI") else {
        throw ScanAPIError.credentials("profile '\(name)' (CredentialsURI) has no credentials_uri")
      }
      spec = .credentialsURI(uri)
    case "external":
      guard !isTrue("ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS") else {
        throw ScanAPIError.credentials(
          "profile '\(name)' (External) is turned off by ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS")
      }
      guard let command = profile.processCommand?.split(separator: " ").map(String.init), !command.isEmpty else {
        throw ScanAPIError.credentials("profile '\(name)' (External) has no process_command")
      }
      spec = .external(command: command)
    case "cloudsso", "oauth":
      guard let keys = try keys(), keys.securityToken != nil, let expiration = profile.stsExpiration else {
        throw ScanAPIError.credentials(
          "profile '\(name)' (\(mode)) has no cached STS credentials; sign in with aliyun-cli first "
            + "(aliyun configure --profile \(name) --mode \(mode))")
      }
      let expires = Date(timeIntervalSince1970: TimeInterval(expiration))
      guard expires > now() else {
        throw ScanAPIError.credentials(
          "profile '\(name)' (\(mode)): its cached STS credentials expired at "
            + "\(WireTimestamp.format(secondsSince1970: expires.timeIntervalSince1970)); sign in again with aliyun-cli "
            + "(aliyun configure --profile \(name) --mode \(mode))")
      }
      spec = .fixed(keys, expires: expires)
    default:
      throw ScanAPIError.credentials(
        "profile '\(name)' uses mode '\(mode)', which scansh does not support (AK, StsToken, RamRoleArn, "
          + "ChainableRamRoleArn, EcsRamRole, OIDC, CredentialsURI, External, CloudSSO, OAuth)")
    }
    return ResolvedConnection(spec: spec, source: source, region: profile.regionId, endpoint: profile.endpoint)
  }

  /// Step 5: the SDKs' INI file.
  private func iniConnection() throws -> ResolvedConnection? {
    guard let data = FileManager.default.contents(atPath: iniPath) else { return nil }
    let file = CredentialsINIFile(String(decoding: data, as: UTF8.self))
    let name = nonEmpty("ALIBABA_CLOUD_PROFILE") ?? "default"
    guard let section = file.sections[name] else { return nil }
    func value(_ key: String) -> String? { section[key].flatMap { $0.isEmpty ? nil : $0 } }
    let type = value("type") ?? ""
    let source = CredentialSource.ini(section: name, type: type)
    func required(_ key: String) throws -> String {
      guard let found = value(key) else {
        throw ScanAPIError.credentials("INI section '\(name)' (\(type)) has no \(key)")
      }
      return found
    }
    let spec: CredentialSpec
    switch type {
    case "access_key":
      spec = .fixed(
        Credentials(accessKeyId: try required("access_key_id"), accessKeySecret: try required("access_key_secret")))
    case "ram_role_arn":
      let keys = Credentials(
        accessKeyId: try required("access_key_id"), accessKeySecret: try required("access_key_secret"))
      spec = .assumeRole(
        source: .fixed(keys),
        role: try roleRequest(
          arn: try required("role_arn"), session: value("role_session_name"), seconds: nil, region: nil, endpoint: nil,
          policy: value("policy")))
    case "ecs_ram_role":
      spec = .ecsRamRole(roleName: value("role_name"), metadata: metadata)
    case "oidc_role_arn":
      spec = .oidc(
        providerArn: try required("oidc_provider_arn"), tokenFile: try required("oidc_token_file_path"),
        role: try roleRequest(
          arn: try required("role_arn"), session: value("role_session_name"), seconds: nil, region: nil, endpoint: nil,
          policy: value("policy")))
    default:
      throw ScanAPIError.credentials(
        "INI section '\(name)' has type '\(type)'; scansh takes access_key, ram_role_arn, ecs_ram_role or oidc_role_arn"
      )
    }
    return ResolvedConnection(spec: spec, source: source)
  }

  /// The first syntax error of a JSON document, if any.
  static func syntaxError(in data: Data) -> JSONSyntaxError? {
    data.withUnsafeBytes { raw -> JSONSyntaxError? in
      var reader = JSONReader(raw.bindMemory(to: UInt8.self))
      do {
        try reader.skipValue()
        reader.skipWhitespace()
        guard reader.isAtEnd else { return reader.error("unexpected content after the JSON document") }
        return nil
      } catch let error as JSONSyntaxError {
        return error
      } catch {
        return nil
      }
    }
  }

  /// 1-based line and column (in characters) of a byte offset.
  static func location(of offset: Int, in data: Data) -> (line: Int, column: Int) {
    let before = data.prefix(max(0, min(offset, data.count)))
    let line = before.filter { $0 == 0x0A }.count + 1
    let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? before.startIndex
    let column = String(decoding: before[lineStart...], as: UTF8.self).count + 1
    return (line, column)
  }
}
