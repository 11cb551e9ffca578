import ScanAPI

/// Turns client events into stderr lines (warnings always; requests and retries under `--verbose`,
/// with no secret or signature: events carry none), the progress line and the request counts.
public enum ClientEventReporter {
  public static func sink(verbose: Bool, errors: any TextSink, progress: ProgressLine, stats: RequestStats)
    -> ClientEventSink
  {
    { event in
      switch event {
      case .exchange:
        stats.recordRequest()
      case .retry(_, _, _, let reason) where reason.hasPrefix("Throttling"):
        stats.recordThrottling()
      default:
        break
      }
      if case .progress(let pages, let totalPages, let rows) = event {
        progress.update(pages: pages, totalPages: totalPages, rows: rows)
      }
      if let line = line(for: event, verbose: verbose) {
        progress.clear()
        errors.write(line)
      }
    }
  }

  /// The stderr line an event prints, if any.
  public static func line(for event: ClientEvent, verbose: Bool) -> String? {
    switch event {
    case .warning(let text):
      return "warning: \(text)\n"
    case .exchange(let exchange) where verbose:
      let status = exchange.status.map { "HTTP \($0)" } ?? "no answer"
      let code = exchange.code.map { " \($0)" } ?? ""
      let milliseconds = Int(exchange.elapsed / .milliseconds(1))
      return
        "> \(exchange.method) \(exchange.action) \(exchange.parameters.joined(separator: " ")) -> \(status)\(code) in \(milliseconds)ms"
        + (exchange.attempt > 1 ? " (attempt \(exchange.attempt))" : "") + "\n"
    case .retry(let page, let attempt, let delay, let reason) where verbose:
      let milliseconds = Int(delay / .milliseconds(1))
      return "> retry\(page.map { " page \($0)" } ?? "") after \(reason), attempt \(attempt + 1) in \(milliseconds)ms\n"
    default:
      return nil
    }
  }
}
