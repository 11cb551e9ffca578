import QueryEngine
import QueryLanguage

extension Session {
  func runWatch(_ pipeline: BoundPipeline, watch: BoundWatch, source: SourceText) async throws {
    throw ShellError.notAvailable("watch arrives with the watch issue")
  }
}
