/// Ctrl-R as bash has it: an incremental search back through history. Each key typed narrows the
/// search from the line found so far; Ctrl-R again finds the next older line; Backspace undoes the
/// last of these. A value: the line editor feeds it keys and draws `prompt` and `match`.
struct ReverseSearch {
  private struct State {
    var query: String
    /// Index into `entries` of the line shown.
    var found: Int?
    var failed: Bool
  }

  /// Oldest first, as history keeps them.
  private let entries: [String]
  private var state = State(query: "", found: nil, failed: false)
  private var undo: [State] = []

  init(entries: [String]) { self.entries = entries }

  var query: String { state.query }
  /// The line found, or nil before the first match.
  var match: String? { state.found.map { entries[$0] } }
  var failed: Bool { state.failed }

  /// What bash shows in front of the line found.
  var prompt: String { "(\(failed ? "failed " : "")reverse-i-search)'\(query)': " }

  /// A key typed: the line found so far, or an older one, must contain the longer query.
  mutating func type(_ text: String) {
    undo.append(state)
    state.query += text
    search(from: state.found ?? entries.count - 1, skipping: nil)
  }

  /// Ctrl-R: the next older line holding the query, other than the one shown.
  mutating func older() {
    guard !state.query.isEmpty else { return }
    undo.append(state)
    guard let found = state.found else { return search(from: entries.count - 1, skipping: nil) }
    search(from: found - 1, skipping: entries[found])
  }

  /// Backspace: back to before the last key or Ctrl-R.
  mutating func erase() {
    if let last = undo.popLast() { state = last }
  }

  private mutating func search(from start: Int, skipping shown: String?) {
    var index = start
    while index >= 0 {
      let entry = entries[index]
      if entry != shown, entry.contains(state.query) {
        state.found = index
        state.failed = false
        return
      }
      index -= 1
    }
    state.failed = true
  }
}
