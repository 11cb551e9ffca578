import ScanAPI
import Vocabulary

/// Writes DescribeScans answers and API errors in JSON (wrapped or flat) and XML, shaped like the
/// reference's samples and the real error body.
struct ResponseEncoder {
  var format: ResponseFormat
  var flat: Bool

  struct PageInfo {
    var requestId: String
    var totalCount: Int
    var pageSize: Int
    var currentPage: Int
    var scans: [Scan]

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

  private func jsonPage(_ page: PageInfo) -> [UInt8] {
    var writer = JSONWriter(capacity: 1024 + page.scans.count * 700)
    writer.raw("{")
    if flat {
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

  private func pagingMembers(_ page: PageInfo, into writer: inout JSONWriter) {
    for (key, value) in [
      ("PageCount", page.pageCount), ("Count", page.scans.count), ("TotalCount", page.totalCount),
      ("PageSize", page.pageSize), ("CurrentPage", page.currentPage),
    ] {
      writer.key(key)
      writer.number(value)
      writer.raw(",")
    }
    writer.key("List")
    writer.raw("[")
    for (index, scan) in page.scans.enumerated() {
      if index > 0 { writer.raw(",") }
      scan.writeJSON(to: &writer)
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
      paging += "<List>"
      for field in ScanField.allCases {
        switch scan[field] {
        case nil: continue
        case .list(let items):
          // In XML the API gives Targets as a plain value; several targets repeat the element.
          for item in items { paging += "<\(field.apiName)>\(escape(item))</\(field.apiName)>" }
        case let value?:
          paging += "<\(field.apiName)>\(escape(value.text))</\(field.apiName)>"
        }
      }
      paging += "</List>"
    }
    let header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    if flat {
      return header + "<DescribeScansResponse><RequestId>\(page.requestId)</RequestId>\(paging)</DescribeScansResponse>"
    }
    return header
      + "<DescribeScans><requestId>\(page.requestId)</requestId><data>\(paging)</data>"
      + "<code>200</code><success>true</success></DescribeScans>"
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
