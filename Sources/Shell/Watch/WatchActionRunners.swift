import Dispatch
import ScanAPI
import Synchronization
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

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
    let name = PathText.lastComponent(of: program)
    // In a process group of its own, so that stopping it reaches what it starts.
    let spawned = ChildProcess.spawn(
      executable, arguments: arguments, environment: environment.merging(extra) { $1 }, stdin: .pipe, stdout: .pipe,
      stderr: .output, ownGroup: true)
    let child: ChildProcess
    switch spawned {
    case .success(let started): child = started
    case .failure(let error): return "exec: cannot run '\(program)': \(error.reason)"
    }
    guard let input = child.input, let output = child.output else { return "exec \(name): lost" }
    let errors = errors
    let passed = DispatchSemaphore(value: 0)
    detachThread {
      // Line by line, as they come, so a slow program's progress shows.
      var pending: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 4096)
      while true {
        let count = read(output, &buffer, buffer.count)
        if count < 0, errno == EINTR { continue }
        if count <= 0 { break }
        pending += buffer[0..<count]
        while let newline = pending.firstIndex(of: 0x0A) {
          errors.write("\(name): " + String(decoding: pending[..<newline], as: UTF8.self) + "\n")
          pending.removeSubrange(...newline)
        }
      }
      if !pending.isEmpty { errors.write("\(name): " + String(decoding: pending, as: UTF8.self) + "\n") }
      close(output)
      passed.signal()
    }
    detachThread {
      // A program that does not read its stdin must not stop us: SIGPIPE is blocked on this
      // thread, so a closed pipe is an error here, not the end of scansh.
      var set = sigset_t()
      sigemptyset(&set)
      sigaddset(&set, SIGPIPE)
      pthread_sigmask(SIG_BLOCK, &set, nil)
      _ = FileDescriptorSink.write(stdin + "\n", to: input)
      close(input)
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
    guard let object = JSONValue.parse(body) else { return nil }
    for key in ["errcode", "code", "StatusCode"] {
      if let code = object[key]?.integer, code != 0 {
        let message = (object["errmsg"] ?? object["msg"] ?? object["StatusMessage"])?.string ?? ""
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
    case .osc777: sequence = "\u{1B}]777;notify;\(title.replacingScalars(";", with: ","));\(body)\u{07}"
    case .bell: return "\u{07}"
    case .notifySend, .none: return nil
    }
    guard tmux else { return sequence }
    // tmux passes a DCS through to the outer terminal, its ESCs doubled.
    return "\u{1B}Ptmux;" + sequence.replacingScalars("\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\"
  }

  func notify(title: String, body: String) {
    if case .notifySend(let path) = method {
      // Not waited for, but reaped: a desktop notification is best effort.
      let spawned = ChildProcess.spawn(
        path, arguments: ["--app-name=scansh", Self.clean(title), Self.clean(body)], stdout: .null, stderr: .null,
        ownGroup: true)
      if case .success(let child) = spawned { detachThread { child.wait() } }
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
