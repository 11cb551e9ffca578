import ScanAPI
import Shell

/// Turns client events into stderr lines: warnings always, requests and retries under --verbose.
enum ClientEventPrinter {
  static func sink(verbose: Bool, errors: any TextSink, progress: ProgressLine, stats: RequestStats) -> ClientEventSink
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
      switch event {
      case .progress(let pages, let totalPages, let rows):
        progress.update(pages: pages, totalPages: totalPages, rows: rows)
      case .warning(let text):
        progress.clear()
        errors.write("warning: \(text)\n")
      case .exchange(let exchange) where verbose:
        let status = exchange.status.map { "HTTP \($0)" } ?? "no answer"
        let code = exchange.code.map { " \($0)" } ?? ""
        let milliseconds = Int(exchange.elapsed / .milliseconds(1))
        errors.write(
          "> \(exchange.method) \(exchange.action) \(exchange.parameters.joined(separator: " ")) -> \(status)\(code) in \(milliseconds)ms"
            + (exchange.attempt > 1 ? " (attempt \(exchange.attempt))" : "") + "\n")
      case .retry(let page, let attempt, let delay, let reason) where verbose:
        let milliseconds = Int(delay / .milliseconds(1))
        errors.write(
          "> retry\(page.map { " page \($0)" } ?? "") after \(reason), attempt \(attempt + 1) in \(milliseconds)ms\n")
      default:
        break
      }
    }
  }
}
