#if canImport(Glibc)
  import Glibc
#endif

/// A program scansh starts: the pager, `exec`'s programs, notify-send, an External profile's
/// `process_command`. One `posix_spawn` for all of them, with no signal blocked in the child (the
/// thread that spawns may block some) and the ones given at their defaults (the shell that started
/// scansh may ignore some).
///
/// Foundation's `Process` is not used: it belongs to the older Foundation, which links
/// CoreFoundation and ICU's data into the binary (docs/design.md, "The binary").
public struct ChildProcess: Sendable {
  /// What one of the child's standard streams is.
  public enum Stream: Sendable, Equatable {
    /// scansh's own.
    case inherit
    /// `/dev/null`.
    case null
    /// A pipe whose other end scansh holds (`input` for stdin, `output` for stdout).
    case pipe
    /// stderr only: where stdout goes.
    case output
  }

  public let pid: pid_t
  /// The write end of its stdin, when stdin is `.pipe`.
  public let input: Int32?
  /// The read end of its stdout, when stdout is `.pipe`.
  public let output: Int32?

  /// Starts `path` (a path, not a name to look up) with `arguments` and `environment` (nil:
  /// scansh's own), or gives the `errno` that stopped it. `ownGroup` puts it in a process group of
  /// its own, so that `stop()` reaches what it starts and Ctrl-C at the terminal does not.
  public static func spawn(
    _ path: String, arguments: [String], environment: [String: String]? = nil, stdin: Stream = .inherit,
    stdout: Stream = .inherit, stderr: Stream = .inherit, ownGroup: Bool = false,
    defaultSignals: [Int32] = [SIGINT, SIGTERM, SIGQUIT, SIGPIPE, SIGHUP]
  ) -> Result<ChildProcess, SystemError> {
    var toChild: [Int32] = [-1, -1]
    var fromChild: [Int32] = [-1, -1]
    func closeAll() { for fd in toChild + fromChild where fd >= 0 { close(fd) } }
    if stdin == .pipe, pipe(&toChild) != 0 { return .failure(SystemError(errno)) }
    if stdout == .pipe, pipe(&fromChild) != 0 {
      let error = errno
      closeAll()
      return .failure(SystemError(error))
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for (fd, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
      switch stream {
      case .inherit: break
      case .null: posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
      case .pipe: posix_spawn_file_actions_adddup2(&actions, fd == 0 ? toChild[0] : fromChild[1], fd)
      case .output:
        if stdout == .pipe {
          posix_spawn_file_actions_adddup2(&actions, fromChild[1], fd)
        } else {
          posix_spawn_file_actions_adddup2(&actions, 1, fd)
        }
      }
    }
    for fd in toChild + fromChild where fd >= 0 { posix_spawn_file_actions_addclose(&actions, fd) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
    if ownGroup {
      flags |= POSIX_SPAWN_SETPGROUP
      posix_spawnattr_setpgroup(&attributes, 0)
    }
    posix_spawnattr_setflags(&attributes, Int16(flags))
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in defaultSignals { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
    defer { for pointer in argv + (envp ?? []) { free(pointer) } }
    var pid: pid_t = 0
    var spawned: Int32 = 0
    // ETXTBSY: a script just written is still open for writing in some other process, often one
    // that forked while the writer had it open; it passes in moments, as make and shells find.
    for attempt in 0..<50 {
      if var envp {
        spawned = posix_spawn(&pid, path, &actions, &attributes, argv, &envp)
      } else {
        spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
      }
      guard spawned == ETXTBSY, attempt < 49 else { break }
      usleep(10_000)
    }
    if toChild[0] >= 0 { close(toChild[0]) }
    if fromChild[1] >= 0 { close(fromChild[1]) }
    guard spawned == 0 else {
      if toChild[1] >= 0 { close(toChild[1]) }
      if fromChild[0] >= 0 { close(fromChild[0]) }
      return .failure(SystemError(spawned))
    }
    // Ours only: a program started later must not inherit them.
    for fd in [toChild[1], fromChild[0]] where fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return .success(
      ChildProcess(pid: pid, input: toChild[1] >= 0 ? toChild[1] : nil, output: fromChild[0] >= 0 ? fromChild[0] : nil))
  }

  /// The wait status once it has exited; nil while it runs.
  public func exitStatus() -> Int32? {
    var status: Int32 = 0
    let result = waitpid(pid, &status, WNOHANG)
    return result == pid ? status : (result < 0 ? 0 : nil)
  }

  /// Waits until it exits (blocking: call it on a thread of its own) and gives its wait status.
  @discardableResult
  public func wait() -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    return status
  }

  /// For one started in a group of its own: SIGTERM to the group, SIGKILL a moment later if it is
  /// still there, then reaped.
  public func stop() {
    kill(-pid, SIGTERM)
    for _ in 0..<100 {
      if exitStatus() != nil {
        kill(-pid, SIGKILL)
        return
      }
      usleep(20_000)
    }
    kill(-pid, SIGKILL)
    wait()
  }

}

/// Why a call to the system failed: its `errno`.
public struct SystemError: Error, Sendable {
  public let code: Int32

  public init(_ code: Int32) { self.code = code }

  public var reason: String { String(cString: strerror(code)) }
}

/// Runs `body` on a new thread, detached: for a blocking read or wait that must not hold one of
/// the cooperative pool's few threads.
public func detachThread(_ body: @escaping @Sendable () -> Void) {
  final class Box {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }
  let box = Unmanaged.passRetained(Box(body)).toOpaque()
  var thread = pthread_t()
  let made = pthread_create(
    &thread, nil,
    { pointer in
      let box = Unmanaged<Box>.fromOpaque(pointer!).takeRetainedValue()
      box.body()
      return nil
    }, box)
  if made == 0 {
    pthread_detach(thread)
  } else {
    // No thread to be had: run it here rather than drop it.
    Unmanaged<Box>.fromOpaque(box).takeRetainedValue().body()
  }
}

/// A file (or pipe) read with `read(2)`: ndjson loaded in chunks, a program's output, stdin.
public final class ReadableFile {
  public let descriptor: Int32
  private let owned: Bool

  /// Opens `path` for reading; nil (with `errno` set) when it cannot be opened.
  public init?(path: String) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    self.descriptor = descriptor
    owned = true
  }

  /// A descriptor already open; `owned` ones are closed with this.
  public init(descriptor: Int32, owned: Bool) {
    self.descriptor = descriptor
    self.owned = owned
  }

  deinit { if owned { close(descriptor) } }

  /// Whether it is a folder (which Linux opens, and then refuses to read).
  public var isFolder: Bool {
    var info = stat()
    return fstat(descriptor, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
  }

  /// At most `count` bytes; empty at the end.
  public func read(upTo count: Int) throws(SystemError) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    while true {
      let got = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, count) }
      if got < 0, errno == EINTR { continue }
      if got < 0 { throw SystemError(errno) }
      bytes.removeLast(count - got)
      return bytes
    }
  }

  /// Everything until the end; what came before a failure.
  public func readToEnd() -> [UInt8] {
    var data: [UInt8] = []
    while let chunk = try? read(upTo: 65_536), !chunk.isEmpty { data += chunk }
    return data
  }
}

/// Writes all of `bytes` to `descriptor`, retrying short and interrupted writes: 0 when done, else
/// the `errno` it stopped at (a closed pipe, a full disk). The one write loop of stdout and stderr,
/// `save`, atomic files and event logs.
public func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32 {
  var offset = 0
  while offset < bytes.count {
    let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
    if written < 0, errno == EINTR { continue }
    if written <= 0 { return errno == 0 ? EIO : errno }
    offset += written
  }
  return 0
}
