import Foundation

/// The REPL's history on disk: `$XDG_STATE_HOME/scansh/history` (default
/// `~/.local/state/scansh/history`), mode 0600 in a 0700 folder, one statement per line, capped,
/// consecutive repeats collapsed, and rewritten through a temporary file and a rename after every
/// statement, so a crash or a closed terminal never truncates it.
public struct HistoryFile: Sendable {
  public static let capacity = 5_000

  public let path: String

  public init(path: String) { self.path = path }

  public static func defaultPath(environment: [String: String]) -> String {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/scansh/history" }
    return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/scansh/history"
  }

  public func load() -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    let entries = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    return Array(entries.suffix(Self.capacity))
  }

  /// `entries` with `statement` added: one line, no repeat of the previous entry, at most `capacity`.
  public static func adding(_ statement: String, to entries: [String]) -> [String] {
    let line = flatten(statement)
    guard !line.isEmpty, entries.last != line else { return entries }
    return Array((entries + [line]).suffix(capacity))
  }

  /// A statement typed over several lines is kept as one: continuation backslashes dropped, lines
  /// joined with a space.
  public static func flatten(_ statement: String) -> String {
    statement.split(separator: "\n", omittingEmptySubsequences: true).map { line -> String in
      var text = line.trimmingCharacters(in: .whitespaces)
      if text.hasSuffix("\\") { text.removeLast() }
      return text.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }.joined(separator: " ")
  }

  public func save(_ entries: [String]) throws {
    let folder = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(
      atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let temporary = folder + "/.history.\(getpid()).tmp"
    let text = entries.suffix(Self.capacity).map { $0 + "\n" }.joined()
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    var failed = false
    text.utf8CString.withUnsafeBufferPointer { buffer in
      var offset = 0
      let count = buffer.count - 1
      while offset < count {
        let written = write(descriptor, buffer.baseAddress! + offset, count - offset)
        if written <= 0 {
          failed = true
          return
        }
        offset += written
      }
    }
    fchmod(descriptor, 0o600)
    if fsync(descriptor) != 0 { failed = true }
    close(descriptor)
    guard !failed, rename(temporary, path) == 0 else {
      unlink(temporary)
      throw POSIXError(.EIO)
    }
  }
}
