import Foundation
import ScanAPI
import Synchronization
import Vocabulary

/// `exec PROGRAM ARG…`: the program run for an event, without a shell, the event as a JSON line on
/// its stdin and as `SCANSH_*` variables; its output passed through on stderr, each line prefixed
/// with the program's name; stopped (SIGTERM, then SIGKILL) after the timeout.
struct ExecAction: Sendable {
  let program: String
  let arguments: [String]
  /// Where a program named with a `/` is found from (it runs in scansh's working folder).
  let directory: URL?
  let timeout: Duration
  let errors: any TextSink
  let environment: [String: String]

  /// Nil when it ran and exited 0; else what went wrong.
  func run(stdin: String, environment extra: [String: String]) async -> String? {
    guard let executable = resolve() else { return "exec: cannot run '\(program)': no such program" }
    let name = (program as NSString).lastPathComponent
    guard let child = Child.spawn(executable, arguments, environment.merging(extra) { $1 }, directory: directory) else {
      return "exec: cannot run '\(program)': \(String(cString: strerror(errno)))"
    }
    let errors = errors
    let passed = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      // Line by line, as they come, so a slow program's progress shows.
      var pending: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 4096)
      while true {
        let count = read(child.output, &buffer, buffer.count)
        if count < 0, errno == EINTR { continue }
        if count <= 0 { break }
        pending += buffer[0..<count]
        while let newline = pending.firstIndex(of: 0x0A) {
          errors.write("\(name): " + String(decoding: pending[..<newline], as: UTF8.self) + "\n")
          pending.removeSubrange(...newline)
        }
      }
      if !pending.isEmpty { errors.write("\(name): " + String(decoding: pending, as: UTF8.self) + "\n") }
      close(child.output)
      passed.signal()
    }
    Thread.detachNewThread {
      // A program that does not read its stdin must not stop us: SIGPIPE is blocked on this
      // thread, so a closed pipe is an error here, not the end of scansh.
      var set = sigset_t()
      sigemptyset(&set)
      sigaddset(&set, SIGPIPE)
      pthread_sigmask(SIG_BLOCK, &set, nil)
      _ = FileDescriptorSink.write(stdin + "\n", to: child.input)
      close(child.input)
    }
    let deadline = ContinuousClock.now + timeout
    var status: Int32?
    var stopped: String?
    while status == nil {
      status = child.exitStatus()
      if status != nil { break }
      if Task.isCancelled {
        stopped = "exec \(name): interrupted"
      } else if ContinuousClock.now >= deadline {
        stopped = "exec \(name): stopped after \(DurationText.format(timeout)) (set exectimeout)"
      }
      if stopped != nil {
        // The program and whatever it started: it runs in a process group of its own.
        child.stop()
        break
      }
      try? await Task.sleep(for: .milliseconds(20))
    }
    passed.wait()
    if let stopped { return stopped }
    guard let status else { return "exec \(name): lost" }
    if status & 0x7F != 0 { return "exec \(name): killed by signal \(status & 0x7F)" }
    let code = (status >> 8) & 0xFF
    return code == 0 ? nil : "exec \(name): exited with \(code)"
  }

  /// A spawned program in a process group of its own, its stdin and output as pipes.
  struct Child {
    let pid: pid_t
    let input: Int32
    let output: Int32

    static func spawn(_ path: String, _ arguments: [String], _ environment: [String: String], directory: URL?)
      -> Child?
    {
      var toChild: [Int32] = [0, 0]
      var fromChild: [Int32] = [0, 0]
      guard pipe(&toChild) == 0 else { return nil }
      guard pipe(&fromChild) == 0 else {
        close(toChild[0])
        close(toChild[1])
        return nil
      }
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
      posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
      posix_spawn_file_actions_adddup2(&actions, fromChild[1], 2)
      for fd in toChild + fromChild { posix_spawn_file_actions_addclose(&actions, fd) }
      var attributes = posix_spawnattr_t()
      posix_spawnattr_init(&attributes)
      defer { posix_spawnattr_destroy(&attributes) }
      posix_spawnattr_setflags(
        &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
      posix_spawnattr_setpgroup(&attributes, 0)
      var none = sigset_t()
      sigemptyset(&none)
      posix_spawnattr_setsigmask(&attributes, &none)
      var defaults = sigset_t()
      sigemptyset(&defaults)
      for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
      posix_spawnattr_setsigdefault(&attributes, &defaults)
      let argv = ([path] + arguments).map { strdup($0) } + [nil]
      let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
      defer { for pointer in argv + envp { free(pointer) } }
      var pid: pid_t = 0
      let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
      close(toChild[0])
      close(fromChild[1])
      guard spawned == 0 else {
        close(toChild[1])
        close(fromChild[0])
        errno = spawned
        return nil
      }
      // Ours only: a later program must not inherit them.
      _ = fcntl(toChild[1], F_SETFD, FD_CLOEXEC)
      _ = fcntl(fromChild[0], F_SETFD, FD_CLOEXEC)
      return Child(pid: pid, input: toChild[1], output: fromChild[0])
    }

    /// The wait status once it has exited; nil while it runs.
    func exitStatus() -> Int32? {
      var status: Int32 = 0
      let result = waitpid(pid, &status, WNOHANG)
      return result == pid ? status : (result < 0 ? 0 : nil)
    }

    /// SIGTERM to its process group, SIGKILL a moment later if it is still there, then reaped.
    func stop() {
      kill(-pid, SIGTERM)
      for _ in 0..<100 {
        if exitStatus() != nil {
          kill(-pid, SIGKILL)
          return
        }
        usleep(20_000)
      }
      kill(-pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
  }

  /// A name with a `/` is a path (relative to the session's folder); else it is looked up on PATH.
  private func resolve() -> String? {
    if program.contains("/") {
      let path = program.hasPrefix("/") ? program : (directory?.appendingPathComponent(program).path ?? program)
      return access(path, X_OK) == 0 ? path : nil
    }
    return SearchPath.find(program, environment: environment)
  }
}

/// `post [SERVICE] URL`: each event POSTed to a webhook, as the event's JSON or as the text
/// message a chat service documents, retried with backoff on 5xx, 429 and network failures. The
/// URL is a secret: only `shown` (masked) is ever printed.
struct PostAction: Sendable {
  static let maxAttempts = 5
  static let firstBackoff: Duration = .milliseconds(500)

  let url: URL
  let service: String?
  let transport: any HTTPTransport
  let clock: any ClientClock
  var shown: String { SecretText.url(url.absoluteString) }

  /// The body for an event: the event as JSON, or the chat service's text message.
  static func body(service: String?, row: Row, columns: [Column], at date: Date) -> String {
    let text = "scansh: " + EventText.line(row, columns: columns)
    var writer = JSONWriter()
    switch service {
    case "dingtalk", "wecom":
      // DingTalk and WeCom custom robots: {"msgtype":"text","text":{"content":"…"}}.
      writer.raw("{\"msgtype\":\"text\",\"text\":{\"content\":")
      writer.string(text)
      writer.raw("}}")
    case "feishu":
      // Feishu (Lark) custom bots: {"msg_type":"text","content":{"text":"…"}}.
      writer.raw("{\"msg_type\":\"text\",\"content\":{\"text\":")
      writer.string(text)
      writer.raw("}}")
    case "slack":
      // Slack incoming webhooks: {"text":"…"}.
      writer.raw("{\"text\":")
      writer.string(text)
      writer.raw("}")
    default:
      return EventText.json(row, columns: columns, at: date)
    }
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  /// Nil once delivered; else why not, after the retries.
  func send(_ row: Row, columns: [Column], at date: Date) async -> String? {
    let body = Data(Self.body(service: service, row: row, columns: columns, at: date).utf8)
    var pause = Self.firstBackoff
    var last = ""
    for attempt in 1...Self.maxAttempts {
      if Task.isCancelled { return "post to \(shown): interrupted" }
      do {
        let response = try await transport.send(
          HTTPRequest(
            method: "POST", url: url,
            headers: ["Content-Type": "application/json; charset=utf-8", "User-Agent": "scansh"], body: body))
        if (200..<300).contains(response.status) {
          // The chat services answer 200 with an error code in the body when they refuse.
          if let refusal = Self.refusal(in: response.body) { return "post to \(shown): \(refusal)" }
          return nil
        }
        last = "HTTP \(response.status)"
        guard response.status >= 500 || response.status == 429 else { return "post to \(shown): \(last)" }
      } catch is CancellationError {
        return "post to \(shown): interrupted"
      } catch let error as TransportError {
        last = error.reason
      } catch {
        last = "\(error)"
      }
      if attempt < Self.maxAttempts {
        do { try await clock.sleep(for: pause) } catch { return "post to \(shown): interrupted" }
        pause = pause * 2
      }
    }
    return "post to \(shown): \(last), \(Self.maxAttempts) attempts"
  }

  /// `errcode` (DingTalk, WeCom) or `code`/`StatusCode` (Feishu) other than 0, with its message.
  static func refusal(in body: Data) -> String? {
    guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
    for key in ["errcode", "code", "StatusCode"] {
      if let code = object[key] as? Int, code != 0 {
        let message = (object["errmsg"] ?? object["msg"] ?? object["StatusMessage"]) as? String ?? ""
        return "refused: \(key) \(code)" + (message.isEmpty ? "" : " (\(message))")
      }
    }
    return nil
  }
}

/// `notify`: a desktop notification, on a terminal only. `notify-send` where a desktop session
/// has it; else the terminal's own escape: OSC 9 for the terminals known to take it (iTerm2,
/// Windows Terminal, WezTerm, ghostty, kitty), OSC 777 for those known to take that (VTE-based
/// ones, foot, rxvt-unicode, konsole); a bell otherwise. Inside tmux the escape is passed through
/// to the outer terminal. Text from the data is stripped of control characters first: a scan's
/// name cannot write escapes of its own.
struct Notifier: Sendable {
  enum Method: Equatable {
    case notifySend(String)
    case osc9
    case osc777
    case bell
    case none
  }

  let output: any TextSink
  let method: Method
  let tmux: Bool

  init(output: any TextSink, isTerminal: Bool, environment: [String: String]) {
    self.output = output
    tmux = !(environment["TMUX"] ?? "").isEmpty
    method = Self.method(isTerminal: isTerminal, environment: environment)
  }

  static func method(isTerminal: Bool, environment: [String: String]) -> Method {
    guard isTerminal else { return .none }
    let desktop = !(environment["DISPLAY"] ?? "").isEmpty || !(environment["WAYLAND_DISPLAY"] ?? "").isEmpty
    if desktop, let path = SearchPath.find("notify-send", environment: environment, defaultPath: "") {
      return .notifySend(path)
    }
    let program = environment["TERM_PROGRAM"] ?? ""
    let term = environment["TERM"] ?? ""
    if ["iTerm.app", "WezTerm", "ghostty"].contains(program) || environment["WT_SESSION"] != nil
      || term == "xterm-kitty"
    {
      return .osc9
    }
    if environment["VTE_VERSION"] != nil || environment["KONSOLE_VERSION"] != nil || term.hasPrefix("foot")
      || term.hasPrefix("rxvt")
    {
      return .osc777
    }
    return .bell
  }

  /// The bytes for one notification (nil for notify-send and none).
  func escape(title: String, body: String) -> String? {
    let title = Self.clean(title)
    let body = Self.clean(body)
    let sequence: String
    switch method {
    case .osc9: sequence = "\u{1B}]9;\(title): \(body)\u{07}"
    case .osc777: sequence = "\u{1B}]777;notify;\(title.replacingOccurrences(of: ";", with: ","));\(body)\u{07}"
    case .bell: return "\u{07}"
    case .notifySend, .none: return nil
    }
    guard tmux else { return sequence }
    // tmux passes a DCS through to the outer terminal, its ESCs doubled.
    return "\u{1B}Ptmux;" + sequence.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\"
  }

  func notify(title: String, body: String) {
    if case .notifySend(let path) = method {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: path)
      process.arguments = ["--app-name=scansh", Self.clean(title), Self.clean(body)]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try? process.run()
      return
    }
    if let bytes = escape(title: title, body: body) { output.write(bytes) }
  }

  /// Printable text only: C0 and C1 controls and DEL become spaces.
  static func clean(_ text: String) -> String {
    String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { scalar in
          scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? " " : scalar
        }))
  }
}
