import Formatters
import ScanAPI
import Synchronization
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `watch` on a terminal: the alternate screen, redrawn in place. A header (query, time, countdown,
/// requests, throttling), then the rows with RunPercent as a bar and an ETA, changed cells
/// highlighted, new rows marked `+`, rows that left shown once marked `-` with where they went.
final class ScreenDisplay: WatchLoop.Display {
  struct Sighting {
    var date: Date
    var percent: Double
  }

  private let query: String
  private let columns: [Column]
  private let output: any TextSink
  private let size: () -> (rows: Int, columns: Int)
  private let utc: Bool
  private let requests: () -> Int
  private let actionFailures: () -> Int
  /// The latest lines of the actions after the watch (`exec`, `post`, …): the watch hands the
  /// board to the actions, which write it from their own threads.
  let notes = ActionNotes()
  private let keyColumn: Int
  private var rows: [Row] = []
  private var events: [String: WatchEvent] = [:]
  private var departed: [WatchEvent] = []
  private var firstSeen: [String: Sighting] = [:]
  private var lastError: String?
  /// When ticks started failing, for the header; the last good rows stay on screen meanwhile.
  private var failingSince: Date?
  private var entered = false
  /// The first tick's rows are what the watch starts from, not news: they are drawn plain.
  private var ticked = false

  init(
    query: String, columns: [Column], output: any TextSink, size: @escaping () -> (rows: Int, columns: Int), utc: Bool,
    requests: @escaping () -> Int, actionFailures: @escaping () -> Int = { 0 }
  ) {
    self.query = query
    self.columns = columns
    self.output = output
    self.size = size
    self.utc = utc
    self.requests = requests
    self.actionFailures = actionFailures
    keyColumn = WatchDiff.keyColumn(columns)
  }

  var wantsCountdown: Bool { true }

  /// Enters the alternate screen; `leave()` must follow, on every path.
  func enter() {
    output.write("\u{1B}[?1049h\u{1B}[?25l")
    entered = true
  }

  func leave() {
    guard entered else { return }
    entered = false
    output.write("\u{1B}[?25h\u{1B}[?1049l")
  }

  func tick(rows: [Row], events: [WatchEvent], at date: Date, next: Duration?, state: WatchLoop.State) {
    self.rows = rows
    let events = ticked ? events : []
    ticked = true
    self.events = Dictionary(events.filter { $0.kind != .removed }.map { ($0.key, $0) }, uniquingKeysWith: { $1 })
    departed = events.filter { $0.kind == .removed }
    lastError = nil
    failingSince = nil
    for row in rows {
      let key = WatchDiff.key(row, column: keyColumn)
      if firstSeen[key] == nil, let percent = percent(of: row) {
        firstSeen[key] = Sighting(date: date, percent: percent)
      }
    }
    draw(at: date, next: next, state: state)
  }

  func failed(_ error: any Error, at date: Date, state: WatchLoop.State) {
    lastError = Presenter.report(error).text.split(separator: "\n").first.map(String.init)
    failingSince = failingSince ?? date
    draw(at: date, next: state.effectiveInterval, state: state)
  }

  func idle(at date: Date, next: Duration, state: WatchLoop.State) {
    draw(at: date, next: next, state: state)
  }

  private func percent(of row: Row) -> Double? {
    guard let index = columns.firstIndex(role: .progress) else { return nil }
    return row.values[index]?.numberValue
  }

  /// The screen as text, for drawing and for tests.
  func render(at date: Date, next: Duration?, state: WatchLoop.State) -> [String] {
    let (height, width) = size()
    var lines: [String] = []
    let seconds = next.map { max(0, Int(($0 / .seconds(1)).rounded(.up))) }
    var header = "every \(DurationText.format(state.interval)) · \(LogDisplay.time(date, utc: utc))"
    header += seconds.map { " · next in \($0)s" } ?? " · done"
    header += " · \(requests()) requests"
    header +=
      state.effectiveInterval > state.interval
      ? " · throttled: every \(DurationText.format(state.effectiveInterval))" : " · not throttled"
    let failures = actionFailures()
    if failures > 0 { header += " · \(failures) \(failures == 1 ? "action" : "actions") failed" }
    lines.append(CellText.truncate(query, to: width))
    lines.append(CellText.truncate(header, to: width))
    if let lastError {
      let since = failingSince.map { " since \(LogDisplay.time($0, utc: utc))" } ?? ""
      let count = state.failuresInARow == 1 ? "1 tick" : "\(state.failuresInARow) ticks"
      lines.append(
        CellText.truncate(
          "ticks failing\(since) (\(count) in a row; the rows below are the last good ones): \(lastError)", to: width))
    }
    for note in notes.latest { lines.append(CellText.truncate(note, to: width)) }
    lines.append("")
    let table = self.table(width: width, now: date)
    let room = max(1, height - lines.count - 1)
    if table.count > room {
      lines += table.prefix(room - 1)
      lines.append("… \(table.count - room + 1) more rows")
    } else {
      lines += table
    }
    return lines
  }

  private func draw(at date: Date, next: Duration?, state: WatchLoop.State) {
    let lines = render(at: date, next: next, state: state)
    output.write("\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J")
  }

  /// The columns shown: for scans a fixed set with a progress bar and an ETA; otherwise all.
  private var shown: [Int] {
    let preferred: [ColumnRoles] = [.key, .title, .severity, .status, .progress]
    let indices = preferred.compactMap { columns.firstIndex(role: $0) }
    return indices.count >= 2 ? indices : Array(columns.indices)
  }

  private func table(width: Int, now: Date) -> [String] {
    let shown = self.shown
    let hasProgress = columns.firstIndex(role: .progress) != nil
    var cells: [[String]] = [
      [" "] + shown.map { columns[$0].roles.contains(.progress) ? "Progress" : columns[$0].name }
        + (hasProgress ? ["ETA"] : [])
    ]
    var highlighted: [[Bool]] = [Array(repeating: false, count: cells[0].count)]
    for row in rows {
      let key = WatchDiff.key(row, column: keyColumn)
      let event = events[key]
      let changed = Set(event?.changes.map(\.column) ?? [])
      var line = [event?.kind == .added ? "+" : " "]
      var marks = [false]
      for index in shown {
        line.append(text(row.values[index], column: index))
        marks.append(changed.contains(index))
      }
      if hasProgress {
        line.append(eta(row, key: key, now: now))
        marks.append(false)
      }
      cells.append(line)
      highlighted.append(marks)
    }
    for event in departed {
      var line = ["-"]
      for index in shown {
        line.append(
          index == columns.firstIndex(role: .status)
            ? "→ \(event.reason ?? "gone")" : text(event.row.values[index], column: index))
      }
      if hasProgress { line.append("") }
      cells.append(line)
      highlighted.append(Array(repeating: false, count: line.count))
    }
    var widths = cells[0].indices.map { column in cells.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
    // Shrink the widest column (the name, usually) until the table fits.
    while widths.reduce(0, +) + 2 * (widths.count - 1) > width,
      let widest = widths.indices.dropFirst().max(by: { widths[$0] < widths[$1] }), widths[widest] > 8
    {
      widths[widest] -= 1
    }
    return cells.indices.map { rowIndex in
      cells[rowIndex].indices.map { column in
        let text = CellText.pad(CellText.truncate(cells[rowIndex][column], to: widths[column]), to: widths[column])
        return highlighted[rowIndex][column] ? "\u{1B}[7m\(text)\u{1B}[0m" : text
      }.joined(separator: "  ").trimmingTrailingWhitespace()
    }
  }

  private func text(_ value: FieldValue?, column: Int) -> String {
    if columns[column].roles.contains(.progress), let percent = value?.numberValue {
      let filled = Int((min(100, max(0, percent)) / 10).rounded(.down))
      return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 10 - filled) + "] "
        + CellText.pad(FieldValue.format(percent) + "%", to: 5, right: true)
    }
    return CellText.text(value, column: columns[column], utc: utc)
  }

  /// From the progress seen since the row was first watched: time left at that pace.
  private func eta(_ row: Row, key: String, now: Date) -> String {
    guard let percent = percent(of: row), percent < 100, let first = firstSeen[key], percent > first.percent else {
      return ""
    }
    let elapsed = now.timeIntervalSince(first.date)
    guard elapsed > 0 else { return "" }
    let remaining = elapsed * (100 - percent) / (percent - first.percent)
    guard remaining.isFinite, remaining < 365 * 86_400 else { return "" }
    let milliseconds = Int64(remaining * 1000)
    let rounded: Duration =
      milliseconds >= 3_600_000
      ? .seconds(milliseconds / 3_600_000 * 3600)
      : milliseconds >= 60_000 ? .seconds(milliseconds / 60_000 * 60) : .seconds(max(1, milliseconds / 1000))
    return "~" + DurationText.format(rounded)
  }
}

/// The latest lines of a watch's actions, newest last, for its screen: written from an exec's
/// output thread too, hence the lock.
final class ActionNotes: Sendable {
  static let shown = 3
  private let lines = Mutex<[String]>([])

  func add(_ line: String) {
    lines.withLock { lines in
      lines.append(line)
      if lines.count > Self.shown { lines.removeFirst(lines.count - Self.shown) }
    }
  }

  var latest: [String] { lines.withLock { $0 } }
}
