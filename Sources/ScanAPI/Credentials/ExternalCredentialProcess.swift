import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// aliyun-cli's External mode: runs `process_command` without a shell (stderr passes through), at
/// most 60 s, and reads its stdout as a profile: `{"mode":"AK"|"StsToken","access_key_id",
/// "access_key_secret","sts_token","expiration"}`.
public enum ExternalCredentialProcess {
  public static let timeout: Duration = .seconds(60)

  public static func run(_ command: [String], timeout: Duration = timeout) async throws -> TemporaryCredentials {
    guard let program = command.first else {
      throw ScanAPIError.credentials("the External profile has an empty process_command")
    }
    // A name is looked up on PATH by env(1), as aliyun-cli's exec does.
    let spawned = ChildProcess.spawn(
      program.contains("/") ? program : "/usr/bin/env",
      arguments: program.contains("/") ? Array(command.dropFirst()) : command, stdin: .null, stdout: .pipe)
    let child: ChildProcess
    switch spawned {
    case .success(let started): child = started
    case .failure(let error):
      throw ScanAPIError.credentials(
        "the External profile's process_command '\(program)' cannot be run (\(error.reason))")
    }
    guard let output = child.output else {
      throw ScanAPIError.credentials("the External profile's process_command '\(program)' cannot be run")
    }
    let finished: (data: [UInt8], status: Int32)? = try await withThrowingTaskGroup(
      of: (data: [UInt8], status: Int32)?.self
    ) { group in
      group.addTask {
        await withCheckedContinuation { done in
          detachThread {
            let data = ReadableFile(descriptor: output, owned: true).readToEnd()
            done.resume(returning: (data, child.wait()))
          }
        }
      }
      group.addTask {
        try await Task.sleep(for: timeout)
        return nil
      }
      let first = try await group.next()!
      group.cancelAll()
      if first == nil { kill(child.pid, SIGTERM) }
      return first
    }
    guard let (bytes, status) = finished else {
      throw ScanAPIError.credentialCall(
        "the External profile's process_command '\(program)' did not finish within \(DurationText.format(timeout))")
    }
    let data = Data(bytes)
    // Its exit code, or the number of the signal that ended it (as Foundation's Process said it).
    let terminationStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : status & 0x7F
    guard terminationStatus == 0 else {
      throw ScanAPIError.credentialCall(
        "the External profile's process_command '\(program)' failed (exit \(terminationStatus))")
    }
    guard let profile = JSONValue.parse(data), profile.isObject,
      let id = profile["access_key_id"]?.string, let secret = profile["access_key_secret"]?.string,
      !id.isEmpty, !secret.isEmpty
    else {
      throw ScanAPIError.credentialCall(
        "the External profile's process_command '\(program)' printed no profile with access_key_id and access_key_secret"
      )
    }
    let mode = (profile["mode"]?.string ?? "AK").lowercased()
    guard mode == "ak" || mode == "ststoken" else {
      throw ScanAPIError.credentialCall(
        "the External profile's process_command printed mode '\(profile["mode"]?.string ?? "")'; scansh takes AK or StsToken"
      )
    }
    let token = mode == "ststoken" ? profile["sts_token"]?.string : nil
    let expiration = profile["expiration"]?.number.map {
      Date(timeIntervalSince1970: $0)
    }
    return TemporaryCredentials(
      Credentials(accessKeyId: id, accessKeySecret: secret, securityToken: token), expiration: expiration)
  }
}
