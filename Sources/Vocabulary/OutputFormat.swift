/// How results are printed: `--format`, `set format` and the `format` stage all name one of these.
public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
  case table, json, ndjson, csv, tsv, markdown

  public var summary: String {
    switch self {
    case .table: "aligned columns for a person; fitted to the terminal"
    case .json: "one JSON array of objects"
    case .ndjson: "one JSON object per line"
    case .csv: "comma-separated, RFC 4180 (CRLF line ends)"
    case .tsv: "tab-separated"
    case .markdown: "a GitHub-flavoured table, for job summaries and pull-request comments"
    }
  }
}
