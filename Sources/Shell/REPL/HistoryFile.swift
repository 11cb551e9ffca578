import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// The REPL's history on disk: `$XDG_STATE_HOME/scansh/history` (default
/// `~/.local/state/scansh/history`), mode 0600 in a 0700 folder, one statement per line, capped,
/// consecutive repeats collapsed, and rewritten through a temporary file and a rename after every
/// statement, so a crash or a closed terminal never truncates it.
public struct HistoryFile: Sendable {
  public static let capacity = 5_000
  /// Longer lines are not statements anyone typed: skipped when loading.
  public static let maxLineBytes = 64 << 10

  public let path: String

  public init(path: String) { self.path = path }

  public static func defaultPath(environment: [String: String]) -> String {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/scansh/history" }
    return (environment["HOME"] ?? PathText.accountHome) + "/.local/state/scansh/history"
  }

  public func load() -> [String] { read().entries }

  /// The entries, and how many lines were skipped: not UTF-8, longer than `maxLineBytes`, or
  /// holding control characters (garbage, not a statement).
  public func read() -> (entries: [String], skipped: Int) {
    guard let data = FileManager.default.contents(atPath: path) else { return ([], 0) }
    var entries: [String] = []
    var skipped = 0
    for line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
      guard line.count <= Self.maxLineBytes, let text = String(validating: line, as: UTF8.self),
        !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F })
      else {
        skipped += 1
        continue
      }
      entries.append(text)
    }
    return (Array(entries.suffix(Self.capacity)), skipped)
  }

  /// Adds a statement to the file as it is on disk now, under a lock: two shells appending to the
  /// same history lose no line. Returns the entries now in the file.
  @discardableResult
  public func append(_ statement: String) throws -> [String] {
    let folder = PathText.deletingLastComponent(of: path)
    try PathText.makeFolders(folder, mode: 0o700)
    let lock = open(path + ".lock", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
    guard lock >= 0 else { throw SystemError(errno) }
    defer { close(lock) }
    while flock(lock, LOCK_EX) != 0, errno == EINTR {}
    defer { flock(lock, LOCK_UN) }
    let updated = Self.adding(statement, to: load())
    try save(updated)
    return updated
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
      var text = line.trimmed(.blanks)
      if text.hasSuffix("\\") { text.removeLast() }
      return text.trimmed(.blanks)
    }.filter { !$0.isEmpty }.joined(separator: " ")
  }

  public func save(_ entries: [String]) throws {
    let folder = PathText.deletingLastComponent(of: path)
    try PathText.makeFolders(folder, mode: 0o700)
    let text = entries.suffix(Self.capacity).map { $0 + "\n" }.joined()
    do {
      try AtomicFile.write(Data(text.utf8), to: path, mode: 0o600)
    } catch {
      throw SystemError(error.code)
    }
  }
}
