import Synchronization

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A status line on stderr while a slow statement reads pages: `reading page 3 of 17 · 250 scans`.
/// It appears only once a statement has taken longer than a moment, is cleared before any result is
/// printed and when the statement ends, and is never drawn while the user is editing a line.
public final class ProgressLine: Sendable {
  static let delay: Duration = .milliseconds(400)

  private struct State {
    var started: ContinuousClock.Instant?
    var visible = false
  }

  private let sink: any TextSink
  private let state = Mutex(State())

  public init(sink: any TextSink) { self.sink = sink }

  /// A statement starts; until `end`, updates may be shown.
  public func begin() {
    state.withLock { $0 = State(started: .now, visible: false) }
  }

  public func update(pages: Int, totalPages: Int?, rows: Int) {
    let show = state.withLock { state -> Bool in
      guard let started = state.started, ContinuousClock.now - started >= Self.delay else { return false }
      state.visible = true
      return true
    }
    guard show else { return }
    let of = totalPages.map { " of \($0)" } ?? ""
    sink.write("\r\u{1B}[Kreading page \(pages)\(of) · \(rows) scans")
  }

  /// Removes the line, if shown, so output can be printed.
  public func clear() {
    let visible = state.withLock { state -> Bool in
      defer { state.visible = false }
      return state.visible
    }
    if visible { sink.write("\r\u{1B}[K") }
  }

  public func end() {
    clear()
    state.withLock { $0.started = nil }
  }
}
