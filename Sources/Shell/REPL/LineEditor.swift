import CEditLine
import Foundation
import Vocabulary

/// Owns a libedit `EditLine` and its `History`. libedit is not thread-safe and calls back on the
/// thread inside `el_gets`, so one thread (the REPL's) does all of this. Callbacks find this
/// object through `EL_CLIENTDATA`, never through a global.
final class LineEditor {
  enum Input: Equatable {
    case line(String)
    /// Ctrl-C at the prompt.
    case interrupted
    /// Ctrl-D on an empty line.
    case endOfInput
  }

  private let editLine: OpaquePointer
  private let history: OpaquePointer
  private var promptText: UnsafeMutablePointer<CChar>
  let complete: (String, Int) -> Completion
  let writeListing: (String) -> Void

  init?(program: String, complete: @escaping (String, Int) -> Completion, writeListing: @escaping (String) -> Void) {
    guard let editLine = scansh_el_init(program), let history = scansh_history_init(Int32(HistoryFile.capacity)) else {
      return nil
    }
    self.editLine = editLine
    self.history = history
    self.complete = complete
    self.writeListing = writeListing
    promptText = strdup("> ")
    scansh_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
    scansh_el_set_editor(editLine, "emacs")
    scansh_el_set_history(editLine, history)
    scansh_el_use_signal_aware_reader(editLine)
    scansh_el_set_prompt(editLine) { editLine in
      guard let owner = LineEditor.owner(of: editLine) else { return nil }
      return owner.promptText
    }
    scansh_el_add_function(editLine, "scansh-complete", "Complete the word before the cursor") { editLine, _ in
      guard let owner = LineEditor.owner(of: editLine) else { return UInt8(CC_ERROR) }
      return owner.completeAtCursor()
    }
    scansh_el_bind(editLine, "^I", "scansh-complete")
    // emacs mode leaves incremental search unbound; bind it as LLDB does.
    scansh_el_bind(editLine, "^R", "em-inc-search-prev")
    // ~/.editrc (or $EDITRC) last, so users can change any of the above.
    el_source(editLine, nil)
  }

  deinit {
    el_end(editLine)
    history_end(history)
    free(promptText)
  }

  private static func owner(of editLine: OpaquePointer) -> LineEditor? {
    guard let raw = scansh_el_get_clientdata(editLine) else { return nil }
    return Unmanaged<LineEditor>.fromOpaque(raw).takeUnretainedValue()
  }

  func read(prompt: String) -> Input {
    free(promptText)
    promptText = strdup(prompt)
    if scansh_sigwinch_pending() != 0 {
      scansh_sigwinch_clear()
      el_resize(editLine)
    }
    // A Ctrl-C that cancelled the last statement must not abort this prompt.
    scansh_sigint_clear()
    // Raw before the prompt shows, so keys typed as it appears are echoed once, by the editor.
    scansh_el_prepare_terminal(editLine)
    var count: Int32 = 0
    errno = 0
    guard let line = el_gets(editLine, &count) else {
      // SIGTERM or SIGHUP: leave as at the end of input; the caller says how the shell ended.
      if scansh_terminate_signal() != 0 { return .endOfInput }
      if count < 0 || scansh_sigint_pending() != 0 {
        scansh_sigint_clear()
        el_reset(editLine)
        return .interrupted
      }
      return .endOfInput
    }
    var text = String(cString: line)
    if text.hasSuffix("\n") { text.removeLast() }
    return .line(text)
  }

  func remember(_ entry: String) {
    scansh_history_enter(history, entry)
  }

  private func completeAtCursor() -> UInt8 {
    guard let info = el_line(editLine)?.pointee else { return UInt8(CC_ERROR) }
    let length = info.lastchar - info.buffer
    let cursor = info.cursor - info.buffer
    let bytes = UnsafeRawBufferPointer(start: info.buffer, count: max(0, length))
    let line = String(decoding: bytes, as: UTF8.self)
    let completion = complete(line, cursor)
    if let insertion = completion.insertion {
      if completion.replacing > 0 { el_deletestr(editLine, Int32(completion.replacing)) }
      el_insertstr(editLine, insertion)
      if completion.candidates.count <= 1 { return UInt8(CC_REFRESH) }
    }
    if completion.candidates.count > 1 {
      writeListing(CandidateListing.render(completion.candidates, width: TerminalSize.columns() ?? 0))
      return UInt8(CC_REDISPLAY)
    }
    return completion.insertion == nil ? UInt8(CC_REFRESH_BEEP) : UInt8(CC_REFRESH)
  }
}

/// Candidates in columns, below the line being edited.
enum CandidateListing {
  static let maxShown = 200

  static func render(_ candidates: [String], width: Int) -> String {
    let shown = candidates.prefix(maxShown)
    let cell = (shown.map(DisplayWidth.of).max() ?? 0) + 2
    let columns = max(1, (width > 0 ? width : 80) / max(1, cell))
    var text = "\n"
    for (index, candidate) in shown.enumerated() {
      text += index % columns == columns - 1 || index == shown.count - 1 ? candidate + "\n" : candidate.padded(to: cell)
    }
    if candidates.count > shown.count { text += "… and \(candidates.count - shown.count) more\n" }
    return text
  }
}
