#if canImport(Glibc)
  import Glibc
#endif

/// File paths as text, the few operations scansh needs, with `NSString`'s results for them (which
/// would link the older Foundation, CoreFoundation and ICU into the binary).
public enum PathText {
  /// `a/b` + `c` is `a/b/c`; a component of `""` leaves the path as it is.
  public static func appending(_ component: String, to path: String) -> String {
    if component.isEmpty { return path }
    if path.isEmpty { return component }
    var base = Substring(path)
    while base.count > 1, base.hasSuffix("/") { base = base.dropLast() }
    return (base == "/" ? "/" : base + "/") + component.drop { $0 == "/" }
  }

  /// `a/b/c` is `c`; trailing slashes are ignored; `/` is `/`.
  public static func lastComponent(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/"), trimmed != "/" else { return String(trimmed) }
    return String(trimmed[trimmed.index(after: slash)...])
  }

  /// `a/b/c` is `a/b`; `c` is `""`; `/c` is `/`.
  public static func deletingLastComponent(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "" }
    var folder = trimmed[..<slash]
    while folder.hasSuffix("/") { folder = folder.dropLast() }
    return folder.isEmpty ? "/" : String(folder)
  }

  /// `report.html` is `html`; `archive.tar.gz` is `gz`; no dot in the last component is `""`.
  public static func pathExtension(of path: String) -> String {
    let name = lastComponent(of: path)
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
    return String(name[name.index(after: dot)...])
  }

  /// `mkdir -p`: the folder and any missing parents, new ones with `mode`.
  public static func makeFolders(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
    guard !path.isEmpty else { return }
    var info = stat()
    if stat(path, &info) == 0 {
      guard info.st_mode & S_IFMT == S_IFDIR else { throw SystemError(ENOTDIR) }
      return
    }
    let parent = deletingLastComponent(of: path)
    if !parent.isEmpty, parent != path { try makeFolders(parent, mode: mode) }
    if mkdir(path, mode) != 0, errno != EEXIST { throw SystemError(errno) }
  }

  /// The user's home in the password database (what `NSHomeDirectory()` gives when `HOME` is
  /// unset), else `/`.
  public static var accountHome: String {
    if let entry = getpwuid(getuid()), let folder = entry.pointee.pw_dir { return String(cString: folder) }
    return "/"
  }
}
