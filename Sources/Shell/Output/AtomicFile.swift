import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Whole-file writes that never leave half a file: a temporary file beside the target, synced,
/// then renamed over it.
public enum AtomicFile {
  public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    /// The `errno` it failed with.
    public var code: Int32 = EIO
    public var description: String { "cannot write \(path): \(reason)" }
  }

  public static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws(Failure) {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    ).path
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard descriptor >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno)), code: errno) }
    var failure = data.withUnsafeBytes { writeAll($0, to: descriptor) }
    if failure == 0, fsync(descriptor) != 0 { failure = errno }
    if close(descriptor) != 0, failure == 0 { failure = errno }
    if failure == 0, rename(temporary, path) != 0 { failure = errno }
    if failure != 0 {
      unlink(temporary)
      throw Failure(path: path, reason: String(cString: strerror(failure)), code: failure)
    }
  }
}
