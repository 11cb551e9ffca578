import QueryEngine
import QueryLanguage
import ScanAPI

/// `explain`: what goes to the API, what the client does, how many requests to expect.
enum ExplainText {
  static func render(_ plan: Plan, pipeline: Pipeline, source: SourceText, accounts: [String] = []) -> String {
    var lines: [String] = []
    switch plan.input {
    case .listing(let listings, let options):
      for listing in listings {
        var parameters = listing.request.parameters.map { "\($0.0)=\($0.1)" }
        parameters.append("PageSize=\(options.paging.firstPageSize)")
        lines.append("api       \(listing.request.resource.action) " + parameters.joined(separator: " "))
      }
    case .totalCount(let listings, _):
      for listing in listings {
        let parameters = listing.request.parameters.map { "\($0.0)=\($0.1)" }
        lines.append("api       \(listing.request.resource.action) " + parameters.joined(separator: " "))
      }
    case .file(let path, _):
      lines.append("source    load \(path)")
    }
    lines.append("pushed    " + (plan.pushed.isEmpty ? "(nothing)" : plan.pushed.joined(separator: ", ")))
    for reason in plan.kept { lines.append("kept      " + reason) }
    var client: [String] = []
    if case .listing(_, _, let filter?, _) = pipeline.source, case .listing = plan.input {
      client.append("where " + source.slice(filter.span))
    }
    client += plan.clientStages
    lines.append("client    " + (client.isEmpty ? "(nothing)" : client.joined(separator: "\n          ")))
    lines.append("requests  " + plan.requests)
    switch plan.input {
    case .listing, .totalCount:
      if accounts.count > 1 {
        lines.append("accounts  \(accounts.joined(separator: ", ")): the requests above for each, at once")
      }
    case .file:
      break
    }
    return lines.map { $0 + "\n" }.joined()
  }
}
