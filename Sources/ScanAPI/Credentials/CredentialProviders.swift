#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Carries out a `CredentialSpec`: the provider that signs requests with what it describes.
public enum CredentialProviders {
  /// What credential calls need: transports with a timeout, the event sink (`--verbose`), a clock.
  public struct Context: Sendable {
    public var transport: @Sendable (Duration) -> any HTTPTransport
    public var events: ClientEventSink
    public var now: @Sendable () -> Date

    public init(
      transport: @escaping @Sendable (Duration) -> any HTTPTransport, events: @escaping ClientEventSink = { _ in },
      now: @escaping @Sendable () -> Date = { Date() }
    ) {
      self.transport = transport
      self.events = events
      self.now = now
    }
  }

  /// `what` names the credentials in errors: `profile 'ci'`, `the environment`.
  public static func make(_ spec: CredentialSpec, for what: String, _ context: Context) throws -> any CredentialProvider
  {
    switch spec {
    case .fixed(let credentials, let expires):
      return StaticCredentialProvider(credentials, expires: expires)
    case .assumeRole(let source, let role):
      let sourceProvider = try make(source, for: what, context)
      let sts = STSClient(
        endpoint: try Endpoint(role.stsEndpoint), transport: context.transport(.seconds(10)), events: context.events,
        now: context.now)
      let label = "AssumeRole for \(what) (role \(role.roleArn))"
      return RefreshingCredentialProvider(now: context.now) {
        try await sts.assumeRole(role, with: try await sourceProvider.credentials(), what: label)
      }
    case .oidc(let providerArn, let tokenFile, let role):
      let sts = STSClient(
        endpoint: try Endpoint(role.stsEndpoint), transport: context.transport(.seconds(10)), events: context.events,
        now: context.now)
      let label = "AssumeRoleWithOIDC for \(what) (role \(role.roleArn))"
      return RefreshingCredentialProvider(now: context.now) {
        // Read afresh each time: Kubernetes rotates the token in place.
        guard let data = FileManager.default.contents(atPath: tokenFile), !data.isEmpty else {
          throw ScanAPIError.credentials(
            "the OIDC token file \(tokenFile) "
              + (FileManager.default.fileExists(atPath: tokenFile) ? "is empty or unreadable" : "does not exist"))
        }
        return try await sts.assumeRoleWithOIDC(
          role, providerArn: providerArn, token: String(decoding: data, as: UTF8.self), what: label)
      }
    case .ecsRamRole(let roleName, let settings):
      let metadata = try InstanceMetadataClient(
        settings: settings, transport: context.transport(.seconds(1)), events: context.events)
      return RefreshingCredentialProvider(now: context.now) { try await metadata.credentials(roleName: roleName) }
    case .credentialsURI(let uri):
      let client = try CredentialsURIClient(uri, transport: context.transport(.seconds(10)))
      return RefreshingCredentialProvider(now: context.now) { try await client.credentials() }
    case .external(let command):
      return RefreshingCredentialProvider(now: context.now) { try await ExternalCredentialProcess.run(command) }
    }
  }
}
