/// What a response body said, gathered from either envelope shape before it is judged a page.
struct EnvelopeFields {
  /// Paging values past this are refused: page arithmetic must not overflow.
  static let maxPagingValue = Int(Int32.max)

  /// `PageNumber` is how the reference's DescribeScanSessions sample names `CurrentPage`.
  static let pagingKeys: Set<String> = ["totalcount", "pagecount", "pagesize", "currentpage", "pagenumber", "count"]

  var requestId: String?
  var hostId: String?
  var code: String?
  var message: String?
  var recommend: String?
  var success: Bool?
  var paging: [String: Int] = [:]
  var scans: [Scan]?

  mutating func appendList(_ list: [Scan]) {
    scans = (scans ?? []) + list
  }

  /// Paging fields must be non-negative integers; numeric strings are accepted as the API is loose.
  mutating func setPaging(_ key: String, raw: String) throws {
    let trimmed = raw.trimming(" ")
    guard let value = Int(trimmed) ?? Double(trimmed).flatMap({ $0.rounded() == $0 && abs($0) < 1e15 ? Int($0) : nil })
    else {
      let shown = raw.count > 40 ? String(raw.prefix(40)) + "…" : raw
      throw ScanAPIError.malformedResponse("'\(key)' is \"\(shown)\", expected a non-negative integer")
    }
    guard value >= 0 else {
      throw ScanAPIError.malformedResponse("'\(key)' is \(value), expected a non-negative integer")
    }
    guard value <= Self.maxPagingValue else {
      throw ScanAPIError.malformedResponse("'\(key)' is \(value), more than any listing can hold")
    }
    paging[key.lowercased() == "pagenumber" ? "currentpage" : key.lowercased()] = value
  }

  func page(_ resource: Resource = .scans) throws -> ScanPage {
    guard let scans else {
      if let code, code != "200" {
        throw ScanAPIError.api(
          APIError(
            httpStatus: 200, code: code, message: message ?? "", requestId: requestId, hostId: hostId,
            recommend: recommend), attempts: 1)
      }
      // The API leaves `List` out of an empty result; with TotalCount 0 that is no rows, not an error.
      if paging["totalcount"] == 0, success != false {
        return ScanPage(
          requestId: requestId, totalCount: 0, pageCount: paging["pagecount"], pageSize: paging["pagesize"],
          currentPage: paging["currentpage"], count: paging["count"], scans: [])
      }
      throw ScanAPIError.malformedResponse("the response has no 'List' of \(resource)")
    }
    if success == false {
      throw ScanAPIError.api(
        APIError(
          httpStatus: 200, code: code ?? "Unsuccessful", message: message ?? "the response says success: false",
          requestId: requestId), attempts: 1)
    }
    if paging["pagesize"] == 0 {
      throw ScanAPIError.malformedResponse("'PageSize' is 0, expected at least 1")
    }
    return ScanPage(
      requestId: requestId, totalCount: paging["totalcount"], pageCount: paging["pagecount"],
      pageSize: paging["pagesize"], currentPage: paging["currentpage"], count: paging["count"], scans: scans)
  }
}
