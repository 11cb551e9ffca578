import ScanAPI
import Vocabulary

/// Writes listing answers (DescribeScans, DescribeScanSessions, DescribeAllVulnerabilities),
/// DescribeVulnerability's, and API errors in JSON (wrapped or flat) and XML, shaped like the
/// reference's samples and the real error body.
struct ResponseEncoder {
  var format: ResponseFormat
  var flat: Bool
  /// DescribeScanSessions as the reference's sample shapes it (`SimulatorConfiguration`).
  var sessionSampleShape = false

  init(format: ResponseFormat, flat: Bool) {
    self.format = format
    self.flat = flat
  }

  struct PageInfo {
    var requestId: String
    var totalCount: Int
    var pageSize: Int
    var currentPage: Int
    var scans: [Scan]
    var resource: Resource = .scans

    var pageCount: Int { (totalCount + pageSize - 1) / pageSize }
  }

  func page(_ page: PageInfo) -> SimResponse {
    switch format {
    case .json: return .json(200, jsonPage(page))
    case .xml: return SimResponse(status: 200, contentType: "text/xml;charset=utf-8", body: Array(xmlPage(page).utf8))
    }
  }

  /// The API's error shape. `host` names the service (STS answers as `sts.aliyuncs.com`, without
  /// a `Recommend` link).
  func error(
    status: Int, code: String, message: String, requestId: String, host: String = "avds.aliyuncs.com"
  ) -> SimResponse {
    let recommend = "https://api.aliyun.com/troubleshoot?q=\(code)&product=avds"
    var response: SimResponse
    switch format {
    case .json:
      var writer = JSONWriter()
      writer.raw("{")
      var fields = [("RequestId", requestId), ("HostId", host), ("Code", code), ("Message", message)]
      if host == "avds.aliyuncs.com" { fields.append(("Recommend", recommend)) }
      for (index, (key, value)) in fields.enumerated() {
        if index > 0 { writer.raw(",") }
        writer.key(key)
        writer.string(value)
      }
      writer.raw("}")
      response = .json(status, writer.bytes)
    case .xml:
      let body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><RequestId>\(escape(requestId))</RequestId>"
        + "<HostId>avds.aliyuncs.com</HostId><Code>\(escape(code))</Code><Message>\(escape(message))</Message>"
        + "<Recommend>\(escape(recommend))</Recommend></Error>"
      response = SimResponse(status: status, contentType: "text/xml;charset=utf-8", body: Array(body.utf8))
    }
    response.code = code
    return response
  }

  /// An answer that only says it was taken (GenerateVulReport): the RequestId, in the wrapped shape.
  func acknowledgement(requestId: String) -> SimResponse {
    switch format {
    case .json:
      var writer = JSONWriter()
      writer.raw("{")
      writer.key("RequestId")
      writer.string(requestId)
      writer.raw(",\"code\":200,\"success\":true}")
      return .json(200, writer.bytes)
    case .xml:
      let body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<GenerateVulReportResponse><RequestId>\(requestId)</RequestId>"
        + "</GenerateVulReportResponse>"
      return SimResponse(status: 200, contentType: "text/xml;charset=utf-8", body: Array(body.utf8))
    }
  }

  /// DescribeVulnerability's answer: the finding under `Vulnerability`.
  func detail(_ finding: Scan, requestId: String) -> SimResponse {
    switch format {
    case .json where flat:
      // The SDK model's shape: the finding's fields beside RequestId.
      var writer = JSONWriter(capacity: 2048)
      var fields = finding
      fields.values[Resource.findings.account] = nil
      writer.object(fields.row, columns: Resource.findings.columns)
      writer.bytes.removeLast()
      writer.raw(",")
      writer.key("RequestId")
      writer.string(requestId)
      writer.raw("}")
      return .json(200, writer.bytes)
    case .json:
      var writer = JSONWriter(capacity: 2048)
      writer.raw("{")
      writer.key("RequestId")
      writer.string(requestId)
      writer.raw(",")
      writer.key("Success")
      writer.raw("true")
      writer.raw(",")
      writer.key("code")
      writer.number(200)
      writer.raw(",")
      writer.key("Vulnerability")
      finding.writeJSON(to: &writer, resource: .findings)
      writer.raw("}")
      return .json(200, writer.bytes)
    case .xml:
      let body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeVulnerabilityResponse><RequestId>\(requestId)</RequestId>"
        + "<Success>true</Success><Vulnerability>\(xmlFields(finding, .findings))</Vulnerability>"
        + "</DescribeVulnerabilityResponse>"
      return SimResponse(status: 200, contentType: "text/xml;charset=utf-8", body: Array(body.utf8))
    }
  }

  private func jsonPage(_ page: PageInfo) -> [UInt8] {
    var writer = JSONWriter(capacity: 1024 + page.scans.count * 700)
    writer.raw("{")
    if sessionSampleShape, page.resource == .sessions {
      sampleSessions(page, into: &writer)
    } else if flat {
      writer.key("RequestId")
      writer.string(page.requestId)
      writer.raw(",")
      pagingMembers(page, into: &writer)
    } else {
      writer.key("requestId")
      writer.string(page.requestId)
      writer.raw(",")
      writer.key("data")
      writer.raw("{")
      pagingMembers(page, into: &writer)
      writer.raw("},")
      writer.key("code")
      writer.number(200)
      writer.raw(",")
      writer.key("success")
      writer.raw("true")
    }
    writer.raw("}")
    return writer.bytes
  }

  /// The reference's DescribeScanSessions sample: wrapped, `"code":"200"`, `PageNumber`, and
  /// mixed-case keys inside a run, with `ScanId` a number.
  private func sampleSessions(_ page: PageInfo, into writer: inout JSONWriter) {
    writer.key("requestId")
    writer.string(page.requestId)
    writer.raw(",")
    writer.key("data")
    writer.raw("{")
    counts(page, currentPage: "PageNumber", into: &writer)
    writer.key("List")
    writer.raw("[")
    let lowerCamel: Set<String> = ["Name", "Targets", "TriggerType", "Period", "Interval", "ReportStatus", "ReportUrl"]
    for (index, run) in page.scans.enumerated() {
      if index > 0 { writer.raw(",") }
      writer.raw("{")
      var first = true
      for (column, value) in zip(page.resource.columns, run.values) {
        guard let value, column.name != "Account" else { continue }
        if !first { writer.raw(",") }
        first = false
        let name = column.name
        writer.key(lowerCamel.contains(name) ? name.prefix(1).lowercased() + name.dropFirst() : name)
        switch value {
        case .string(let text) where name == "ScanId" && Double(text) != nil: for byte in text.utf8 { writer.raw(byte) }
        default: writer.value(value)
        }
      }
      writer.raw("}")
    }
    writer.raw("]},")
    writer.key("code")
    writer.string("200")
    writer.raw(",")
    writer.key("success")
    writer.raw("true")
  }

  /// The page's counts, each followed by a comma; `currentPage` names the page number.
  private func counts(_ page: PageInfo, currentPage: String = "CurrentPage", into writer: inout JSONWriter) {
    for (key, value) in [
      ("PageCount", page.pageCount), ("Count", page.scans.count), ("TotalCount", page.totalCount),
      ("PageSize", page.pageSize), (currentPage, page.currentPage),
    ] {
      writer.key(key)
      writer.number(value)
      writer.raw(",")
    }
  }

  private func pagingMembers(_ page: PageInfo, into writer: inout JSONWriter) {
    counts(page, into: &writer)
    writer.key("List")
    writer.raw("[")
    for (index, scan) in page.scans.enumerated() {
      if index > 0 { writer.raw(",") }
      scan.writeJSON(to: &writer, resource: page.resource)
    }
    writer.raw("]")
  }

  private func xmlPage(_ page: PageInfo) -> String {
    var paging = ""
    for (key, value) in [
      ("PageCount", page.pageCount), ("Count", page.scans.count), ("TotalCount", page.totalCount),
      ("PageSize", page.pageSize), ("CurrentPage", page.currentPage),
    ] {
      paging += "<\(key)>\(value)</\(key)>"
    }
    for scan in page.scans {
      paging += "<List>" + xmlFields(scan, page.resource) + "</List>"
    }
    let header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    let action = page.resource.action
    if flat {
      return header + "<\(action)Response><RequestId>\(page.requestId)</RequestId>\(paging)</\(action)Response>"
    }
    return header
      + "<\(action)><requestId>\(page.requestId)</requestId><data>\(paging)</data>"
      + "<code>200</code><success>true</success></\(action)>"
  }

  private func xmlFields(_ record: Scan, _ resource: Resource) -> String {
    var text = ""
    for (column, value) in zip(resource.columns, record.values) {
      switch value {
      case nil: continue
      case .list(let items):
        // In XML the API gives Targets as a plain value; several targets repeat the element.
        for item in items { text += "<\(column.name)>\(escape(item))</\(column.name)>" }
      case let value?:
        text += "<\(column.name)>\(escape(value.text))</\(column.name)>"
      }
    }
    return text
  }

  private func escape(_ text: String) -> String {
    var output = ""
    output.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\"": output += "&quot;"
      default: output.append(character)
      }
    }
    return output
  }
}
