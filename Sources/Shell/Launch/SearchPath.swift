#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Finding a program by name on `PATH`, as a shell would: the pager's `less`, an `exec` stage's
/// program, `notify-send`.
enum SearchPath {
  /// The first executable `name` in the folders of the environment's `PATH` (`defaultPath` when it
  /// has none), or nil.
  static func find(_ name: String, environment: [String: String], defaultPath: String = "/usr/bin:/bin") -> String? {
    for folder in (environment["PATH"] ?? defaultPath).split(separator: ":") {
      let candidate = "\(folder)/\(name)"
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
  }
}
