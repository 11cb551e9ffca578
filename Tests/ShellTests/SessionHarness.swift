import Formatters
import Foundation
import QueryLanguage
import ScanAPI
import Shell
import Simulator
import TestSupport
import Vocabulary

/// A session over a real simulator, printing into buffers.
struct SessionHarness {
  let session: Session
  let output = BufferSink()
  let errors = BufferSink()
  let simulator: RunningSimulator

  init(
    _ simulator: RunningSimulator, format: OutputFormat? = nil, keepGoing: Bool = false, directory: URL? = nil,
    connection: ConnectionSummary? = nil, configure: (inout Session.Options) -> Void = { _ in }
  ) throws {
    self.simulator = simulator
    var options = Session.Options(
      connection: connection
        ?? ConnectionSummary(endpoint: simulator.endpoint, source: .environment, accessKeyId: "****id"),
      format: format)
    options.keepGoing = keepGoing
    options.directory = directory
    configure(&options)
    let client = try simulator.client()
    session = Session(
      options: options, output: output, errors: errors, client: { client }, now: { TestSimulator.epoch })
  }

  @discardableResult
  func run(_ text: String, name: String? = nil) async -> Session.Result {
    await session.run(SourceText(text, name: name))
  }
}
