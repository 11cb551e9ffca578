import Formatters
import QueryEngine
import QueryLanguage
import ScanAPI
import Synchronization
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Events as the output: one JSON object a line for json and ndjson, csv or tsv rows under one
/// header, else a log line (the time, then the row's cells).
final class EventWriter {
  private let format: OutputFormat
  private let columns: [Column]
  private let utc: Bool
  private let output: any TextSink
  private var formatter: any RowFormatter

  init(format: OutputFormat, columns: [Column], utc: Bool, output: any TextSink) {
    self.format = format
    self.columns = columns
    self.utc = utc
    self.output = output
    formatter = Formatting.make(format, OutputContext(columns: columns, isScans: false, utc: utc))
  }

  func write(_ rows: [Row], at date: Date) {
    var text = ""
    for row in rows {
      switch format {
      case .json, .ndjson:
        text += EventText.json(row, columns: columns, at: date) + "\n"
      case .csv, .tsv:
        text += formatter.format(row) ?? ""
      case .table, .markdown:
        let cells = columns.indices.map { CellText.text(row.values[$0], column: columns[$0], utc: utc) }
        text += ([LogDisplay.time(date, utc: utc)] + cells.filter { !$0.isEmpty }).joined(separator: "  ") + "\n"
      }
    }
    if !text.isEmpty { output.write(text) }
  }
}

/// Where actions' own output goes: stderr, until a watch's screen takes it.
final class ActionOutput: TextSink {
  private let target: Mutex<@Sendable (String) -> Void>

  init(_ errors: any TextSink) { target = Mutex({ errors.write($0) }) }

  func forward(_ target: @escaping @Sendable (String) -> Void) {
    self.target.withLock { $0 = target }
  }

  func write(_ text: String) {
    let target = self.target.withLock { $0 }
    target(text)
  }
}

/// The display of a watch whose events are the output: it shows only failed ticks.
final class EventStreamDisplay: WatchLoop.Display {
  private let errors: any TextSink
  private let utc: Bool

  init(errors: any TextSink, utc: Bool) {
    self.errors = errors
    self.utc = utc
  }

  var wantsCountdown: Bool { false }

  func tick(rows: [Row], events: [WatchEvent], at: Date, next: Duration?, state: WatchLoop.State) {}

  func failed(_ error: any Error, at date: Date, state: WatchLoop.State) {
    errors.write("\(LogDisplay.time(date, utc: utc))  tick \(state.ticks) failed: \(Presenter.report(error).text)")
  }

  func idle(at: Date, next: Duration, state: WatchLoop.State) {}
}
