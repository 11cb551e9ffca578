import ScanAPI

/// Why a report link is refused, as the storage service says it (an XML `Error` document).
enum SimReportRefusal: Error, Sendable {
  case noSuchKey
  case signatureDoesNotMatch
  case expired

  var status: Int {
    switch self {
    case .noSuchKey: 404
    case .signatureDoesNotMatch, .expired: 403
    }
  }

  var code: String {
    switch self {
    case .noSuchKey: "NoSuchKey"
    case .signatureDoesNotMatch: "SignatureDoesNotMatch"
    case .expired: "AccessDenied"
    }
  }

  var message: String {
    switch self {
    case .noSuchKey: "The specified key does not exist."
    case .signatureDoesNotMatch: "The request signature we calculated does not match the signature you provided."
    case .expired: "Request has expired."
    }
  }

  var xml: String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message></Error>\n"
  }
}

/// The report of a run: an HTML page listing what it found, worst first.
enum SimReportDocument {
  static let severityNames = ["info", "low", "moderate", "important"]

  static func html(run: SimRun, scan: SimScan, findings: [SimFinding]) -> String {
    let name = escape(scan.base[.name]?.text ?? scan.id)
    let rows = findings.sorted { ($0.severity, $1.id) > ($1.severity, $0.id) }.map { finding in
      "<tr><td>\(severityNames[min(3, max(0, finding.severity))])</td><td>\(escape(finding.template.name))</td>"
        + "<td>\(escape(finding.target))</td></tr>"
    }
    return """
      <!DOCTYPE html>
      <html><head><meta charset="utf-8"><title>Vulnerability report: \(name), run \(run.taskId)</title></head>
      <body>
      <h1>Vulnerability report: \(name)</h1>
      <p>Scan task \(escape(scan.id)), run \(run.taskId) (\(escape(run.status))): \(findings.count) \
      \(findings.count == 1 ? "finding" : "findings").</p>
      <table><tr><th>Severity</th><th>Vulnerability</th><th>Target</th></tr>
      \(rows.joined(separator: "\n"))
      </table>
      </body></html>

      """
  }

  private static func escape(_ text: String) -> String {
    text.replacingScalars("&", with: "&amp;").replacingScalars("<", with: "&lt;")
      .replacingScalars(">", with: "&gt;").replacingScalars("\"", with: "&quot;")
  }
}
