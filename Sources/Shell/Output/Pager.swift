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

/// Sends a result taller than the terminal through a pager, as psql and git do: text is held
/// until it is taller than the screen (a short result is printed as it is), then the pager is
/// started with what was held and is fed the rest. Ctrl-C (cancelling the statement) ends the
/// pager and returns to the prompt; quitting the pager early just stops the output.
final class Pager: TextSink {
  /// `$PAGER` as the shell runs it; `less -FRXK` when unset (if there is a `less`); none when empty.
  static func command(environment: [String: String]) -> String? {
    if let pager = environment["PAGER"] {
      return pager.allSatisfy(\.isWhitespace) ? nil : pager
    }
    return SearchPath.find("less", environment: environment) == nil ? nil : "less -FRXK"
  }

  private let output: any TextSink
  private let command: String
  private let rows: Int
  private struct State {
    var held = ""
    var lines = 0
    /// The pager's process and the write end of its stdin.
    var process: ChildProcess?
    var input: Int32?
    /// The pager exited (the user quit it): the rest of the output has nowhere to go.
    var closed = false
    /// The pager could not be started: output goes straight to the terminal.
    var direct = false
  }

  /// Writes come in order from one statement; the lock makes that a fact, not a hope.
  private let state = Mutex(State())

  /// `rows`: the terminal's height; text of more lines than that goes to the pager.
  init(output: any TextSink, command: String, rows: Int) {
    self.output = output
    self.command = command
    self.rows = rows
  }

  func write(_ text: String) {
    state.withLock { state in
      if state.closed { return }
      if state.direct {
        output.write(text)
        return
      }
      if let input = state.input {
        send(text, to: input, state: &state)
        return
      }
      state.held += text
      state.lines += text.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
      // One line is kept for the prompt that follows.
      if state.lines >= rows { start(&state) }
    }
  }

  /// Prints what is held, or lets the pager finish: waits until the user leaves it. Ctrl-C while
  /// it runs (the statement cancelled) ends the pager: the output was all given to it, so that is
  /// leaving it, not an interrupted statement.
  func finish() async {
    let running = state.withLock { state -> ChildProcess? in
      guard let process = state.process else {
        output.write(state.held)
        state.held = ""
        return nil
      }
      Self.closeInput(&state)
      return process
    }
    guard let process = running else { return }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
        // Waiting is blocking: a thread of its own, not one of the cooperative pool's.
        detachThread {
          process.wait()
          done.resume()
        }
      }
    } onCancel: {
      kill(process.pid, SIGTERM)
    }
    state.withLock { $0.process = nil }
    if Task.isCancelled { clearPagerPrompt() }
  }

  /// Ends the pager, if one runs (the statement failed or was cancelled).
  func abandon() {
    let running = state.withLock { state -> ChildProcess? in
      guard let process = state.process else { return nil }
      Self.closeInput(&state)
      state.process = nil
      return process
    }
    guard let process = running else { return }
    kill(process.pid, SIGTERM)
    process.wait()
    clearPagerPrompt()
  }

  private static func closeInput(_ state: inout State) {
    if let input = state.input { close(input) }
    state.input = nil
  }

  /// A pager ended by a signal leaves its prompt (`:`) on the line; the next text starts clean.
  private func clearPagerPrompt() { output.write("\r\u{1B}[K") }

  /// `/bin/sh -c COMMAND` with its stdin on a pipe, in our process group, so that it owns the
  /// terminal as we do. The pool thread that spawns has every signal blocked (and the shell may
  /// ignore some): the pager starts with none blocked and each at its default, so Ctrl-C and
  /// SIGTERM reach it.
  private func start(_ state: inout State) {
    // `exec`: the shell becomes the pager, so the process Ctrl-C ends is the pager itself.
    let spawned = ChildProcess.spawn(
      "/bin/sh", arguments: ["-c", "exec " + command], stdin: .pipe,
      defaultSignals: [SIGINT, SIGTERM, SIGQUIT, SIGPIPE, SIGHUP, SIGTSTP, SIGWINCH])
    guard case .success(let child) = spawned, let pipe = child.input else {
      // No pager after all: print as if there were none.
      state.direct = true
      output.write(state.held)
      state.held = ""
      return
    }
    state.process = child
    state.input = pipe
    send(state.held, to: pipe, state: &state)
    state.held = ""
  }

  /// Writes all of `text`; a pager that quit early makes the write fail with EPIPE, and from then
  /// on output is dropped. SIGPIPE is blocked on this thread while it writes (and one it raised is
  /// taken), so quitting the pager never kills scansh, and no other thread's writes are touched.
  private func send(_ text: String, to descriptor: Int32, state: inout State) {
    var pipeSignal = sigset_t()
    sigemptyset(&pipeSignal)
    sigaddset(&pipeSignal, SIGPIPE)
    var previous = sigset_t()
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
    defer {
      var pending = sigset_t()
      sigpending(&pending)
      if sigismember(&pending, SIGPIPE) == 1 {
        var now = timespec()
        _ = sigtimedwait(&pipeSignal, nil, &now)
      }
      pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
    if !FileDescriptorSink.write(text, to: descriptor) { state.closed = true }
  }
}
