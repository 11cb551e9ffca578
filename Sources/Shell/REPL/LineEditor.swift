import CEditLine
import Formatters
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

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
  private var promptWidth = 0
  let complete: (String, Int) -> Completion
  let writeListing: (String) -> Void
  /// The history Ctrl-R searches, oldest first.
  let historyEntries: () -> [String]

  init?(
    program: String, complete: @escaping (String, Int) -> Completion, writeListing: @escaping (String) -> Void,
    historyEntries: @escaping () -> [String]
  ) {
    guard let editLine = scansh_el_init(program), let history = scansh_history_init(Int32(HistoryFile.capacity)) else {
      return nil
    }
    self.editLine = editLine
    self.history = history
    self.complete = complete
    self.writeListing = writeListing
    self.historyEntries = historyEntries
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
    // libedit's own search (em-inc-search-prev) shows `bck:` and leaves its line behind; this one
    // reads as bash's does.
    scansh_el_add_function(editLine, "scansh-reverse-search", "Search history backwards, as in bash") { editLine, _ in
      guard let owner = LineEditor.owner(of: editLine) else { return UInt8(CC_ERROR) }
      return owner.searchHistory()
    }
    scansh_el_bind(editLine, "^R", "scansh-reverse-search")
    // ~/.editrc (or $EDITRC) last, so users can change any of the above.
    scansh_el_source(editLine, nil)
  }

  deinit {
    scansh_el_end(editLine)
    scansh_history_end(history)
    free(promptText)
  }

  private static func owner(of editLine: OpaquePointer) -> LineEditor? {
    guard let raw = scansh_el_get_clientdata(editLine) else { return nil }
    return Unmanaged<LineEditor>.fromOpaque(raw).takeUnretainedValue()
  }

  func read(prompt: String) -> Input {
    free(promptText)
    promptText = strdup(prompt)
    promptWidth = DisplayWidth.of(prompt)
    if scansh_sigwinch_pending() != 0 {
      scansh_sigwinch_clear()
      scansh_el_resize(editLine)
    }
    // A Ctrl-C that cancelled the last statement must not abort this prompt.
    scansh_sigint_clear()
    // Raw before the prompt shows, so keys typed as it appears are echoed once, by the editor.
    scansh_el_prepare_terminal(editLine)
    var count: Int32 = 0
    errno = 0
    guard let line = scansh_el_gets(editLine, &count) else {
      // SIGTERM or SIGHUP: leave as at the end of input; the caller says how the shell ended.
      if scansh_terminate_signal() != 0 { return .endOfInput }
      if count < 0 || scansh_sigint_pending() != 0 {
        scansh_sigint_clear()
        scansh_el_reset(editLine)
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

  // MARK: Ctrl-R

  /// bash's reverse-i-search, drawn over the prompt's row: keys narrow it, Ctrl-R finds an older
  /// line, Backspace undoes, Enter runs the line found, Escape or any other control key (arrows
  /// too) leaves it in the line to edit (and the key then does what it does), Ctrl-G gives up.
  /// Ctrl-C puts the line back as it was and cancels it, as at the prompt. The search ends with the
  /// cursor at the start of the prompt's row, which is where libedit's full redraw starts.
  private func searchHistory() -> UInt8 {
    guard let (original, beforeCursor) = currentLine() else { return UInt8(CC_ERROR) }
    let columns = max(20, TerminalSize.columns() ?? 80)
    let row = (promptWidth + DisplayWidth.of(beforeCursor)) / columns
    var search = ReverseSearch(entries: historyEntries())
    writeListing((row > 0 ? "\u{1B}[\(row)A" : "") + "\r\u{1B}[J")
    while true {
      let shown = (search.match ?? "").replacingScalars("\n", with: " ")
      writeListing("\r\u{1B}[K" + CellText.truncate(search.prompt + shown, to: columns - 1))
      var key: wchar_t = 0
      guard scansh_el_wgetc(editLine, &key) == 1, let scalar = Unicode.Scalar(UInt32(key)) else {
        // Ctrl-C, a signal to end, or the end of input: LineEditor.read tells which.
        endSearch(showing: original)
        return UInt8(CC_EOF)
      }
      switch scalar.value {
      case 0x12: search.older()
      case 0x7F, 0x08: search.erase()
      case 0x07:
        endSearch(showing: original)
        return UInt8(CC_REFRESH)
      case 0x0D, 0x0A:
        endSearch(showing: search.match ?? original)
        scansh_el_push(editLine, "\r")
        return UInt8(CC_REFRESH)
      case 0x1B:
        endSearch(showing: search.match ?? original)
        // An arrow or other escape sequence goes on to the editor; a lone Escape only ends the search.
        var next: wchar_t = 0
        guard scansh_el_wgetc(editLine, &next) == 1, let following = Unicode.Scalar(UInt32(next)) else {
          return UInt8(CC_EOF)
        }
        scansh_el_push(editLine, (following == "[" || following == "O" ? "\u{1B}" : "") + String(Character(following)))
        return UInt8(CC_REFRESH)
      case 0..<0x20:
        endSearch(showing: search.match ?? original)
        scansh_el_push(editLine, String(Character(scalar)))
        return UInt8(CC_REFRESH)
      default:
        search.type(String(Character(scalar)))
      }
    }
  }

  /// The line being edited, and the part of it before the cursor.
  private func currentLine() -> (line: String, beforeCursor: String)? {
    guard let info = scansh_el_line(editLine)?.pointee else { return nil }
    let length = info.lastchar - info.buffer
    let cursor = info.cursor - info.buffer
    let bytes = UnsafeRawBufferPointer(start: info.buffer, count: max(0, length))
    return (String(decoding: bytes, as: UTF8.self), String(decoding: bytes.prefix(max(0, cursor)), as: UTF8.self))
  }

  /// Clears the search's row, sets the line to `text` with the cursor at its end, and has libedit
  /// draw prompt and line afresh from the start of that row.
  private func endSearch(showing text: String) {
    writeListing("\r\u{1B}[K")
    if let (line, beforeCursor) = currentLine() {
      scansh_el_cursor(editLine, Int32(line.unicodeScalars.count - beforeCursor.unicodeScalars.count))
      scansh_el_deletestr(editLine, Int32(line.unicodeScalars.count))
    }
    scansh_el_insertstr(editLine, text)
    scansh_el_refresh(editLine)
  }

  private func completeAtCursor() -> UInt8 {
    guard let (line, beforeCursor) = currentLine() else { return UInt8(CC_ERROR) }
    let completion = complete(line, beforeCursor.utf8.count)
    if let insertion = completion.insertion {
      if completion.replacing > 0 { scansh_el_deletestr(editLine, Int32(completion.replacing)) }
      scansh_el_insertstr(editLine, insertion)
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
