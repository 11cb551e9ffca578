import Foundation
import Vocabulary

/// aliyun-cli's External mode: runs `process_command` without a shell (stderr passes through), at
/// most 60 s, and reads its stdout as a profile: `{"mode":"AK"|"StsToken","access_key_id",
/// "access_key_secret","sts_token","expiration"}`.
public enum ExternalCredentialProcess {
  public static let timeout: Duration = .seconds(60)

  public static func run(_ command: [String], timeout: Duration = timeout) async throws -> TemporaryCredentials {
    guard let program = command.first else {
      throw ScanAPIError.credentials("the External profile has an empty process_command")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program.contains("/") ? program : "/usr/bin/env")
    process.arguments = program.contains("/") ? Array(command.dropFirst()) : command
    let output = Pipe()
    process.standardOutput = output
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw ScanAPIError.credentials("the External profile's process_command '\(program)' cannot be run")
    }
    let data: Data = try await withThrowingTaskGroup(of: Data?.self) { group in
      group.addTask {
        await withCheckedContinuation { done in
          Thread.detachNewThread {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            done.resume(returning: data)
          }
        }
      }
      group.addTask {
        try await Task.sleep(for: timeout)
        return nil
      }
      let first = try await group.next()!
      group.cancelAll()
      guard let first else {
        process.terminate()
        throw ScanAPIError.credentialCall(
          "the External profile's process_command '\(program)' did not finish within \(DurationText.format(timeout))")
      }
      return first
    }
    guard process.terminationStatus == 0 else {
      throw ScanAPIError.credentialCall(
        "the External profile's process_command '\(program)' failed (exit \(process.terminationStatus))")
    }
    guard let profile = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let id = profile["access_key_id"] as? String, let secret = profile["access_key_secret"] as? String,
      !id.isEmpty, !secret.isEmpty
    else {
      throw ScanAPIError.credentialCall(
        "the External profile's process_command '\(program)' printed no profile with access_key_id and access_key_secret"
      )
    }
    let mode = (profile["mode"] as? String ?? "AK").lowercased()
    guard mode == "ak" || mode == "ststoken" else {
      throw ScanAPIError.credentialCall(
        "the External profile's process_command printed mode '\(profile["mode"] ?? "")'; scansh takes AK or StsToken")
    }
    let token = mode == "ststoken" ? profile["sts_token"] as? String : nil
    let expiration = (profile["expiration"] as? Double ?? (profile["expiration"] as? Int).map(Double.init)).map {
      Date(timeIntervalSince1970: $0)
    }
    return TemporaryCredentials(
      Credentials(accessKeyId: id, accessKeySecret: secret, securityToken: token), expiration: expiration)
  }
}
