import Foundation
import Testing
import Vocabulary

@testable import ScanAPI

struct DecodingTests {
  static func fixture(_ name: String) throws -> Data {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    return try Data(contentsOf: url)
  }

  static func decode(_ text: String, format: ResponseFormat = .json) throws -> ScanPage {
    try ResponseDecoder.page(from: Data(text.utf8), format: format)
  }

  static func malformed(_ text: String, format: ResponseFormat = .json) -> String? {
    do {
      _ = try decode(text, format: format)
      return nil
    } catch let error as ScanAPIError {
      return error.description
    } catch {
      return "unexpected \(error)"
    }
  }

  @Test func decodesTheReferenceJSONSample() throws {
    let page = try ResponseDecoder.page(from: try Self.fixture("reference-sample.json"), format: .json)
    #expect(page.requestId == "B92696EA-44DE-4DE4-B3B7-07655394DC7C")
    #expect(page.totalCount == 3)
    #expect(page.pageCount == 1)
    #expect(page.pageSize == 20)
    #expect(page.currentPage == 1)
    #expect(page.scans.count == 3)
    let first = page.scans[0]
    #expect(first.scanId == "2018071010384940572")
    #expect(first[.name] == .string("test_0710-3"))
    #expect(first[.status] == .string("finished"))
    #expect(first[.runPercent] == .number(100))
    #expect(first[.startDate] == .number(1_531_190_450_000))
    #expect(first[.targets] == .list(["***. ***.net"]))
    #expect(first[.scanAll] == .number(0))
    #expect(first[.reportUrl]?.text.hasSuffix("Signature=CmFMLzRIFOqETWWqj01mYpkKZIo%3D") == true)
    #expect(first[.nextRunDate] == nil)
  }

  @Test func xmlSampleDecodesToTheSameRecords() throws {
    let json = try ResponseDecoder.page(from: try Self.fixture("reference-sample.json"), format: .json)
    let xml = try ResponseDecoder.page(from: try Self.fixture("reference-sample.xml"), format: .xml)
    #expect(xml.scans == json.scans)
    #expect(xml.totalCount == 3)
    #expect(xml.requestId == json.requestId)
  }

  @Test func decodesTheFlatShape() throws {
    let page = try Self.decode(
      """
      {"RequestId":"R1","TotalCount":2,"PageSize":1,"CurrentPage":2,"PageCount":2,"Count":1,
       "List":[{"ScanId":2018071010171127450,"RunPercent":55.5,"Status":"paused-by-ops","ScanType":"web3",
                "Targets":"one.example.com","StartDate":"1531189151000","Extra":{"a":[1,2]}}]}
      """)
    #expect(page.requestId == "R1")
    #expect(page.totalCount == 2)
    #expect(page.currentPage == 2)
    let scan = try #require(page.scans.first)
    #expect(scan.scanId == "2018071010171127450")
    #expect(scan[.runPercent] == .number(55.5))
    #expect(scan[.status] == .string("paused-by-ops"))
    #expect(scan[.scanType] == .string("web3"))
    #expect(scan[.targets] == .list(["one.example.com"]))
    #expect(scan[.startDate] == .number(1_531_189_151_000))
  }

  @Test func everyFieldMayBeMissingOrNull() throws {
    let page = try Self.decode(#"{"TotalCount":"2","List":[{},{"Name":null,"Targets":null}]}"#)
    #expect(page.totalCount == 2)
    #expect(page.scans == [Scan(), Scan()])
  }

  @Test func escapesAndUnicodeSurvive() throws {
    let page = try Self.decode(#"{"List":[{"Name":"\u5b98\u7f51 \"q\" \ud83d\ude00 é\n"}],"TotalCount":1}"#)
    #expect(page.scans[0][.name] == .string("官网 \"q\" 😀 é\n"))
  }

  /// The API leaves `List` out of an empty result: with TotalCount 0 that is a page of no rows.
  @Test func anEmptyResultWithoutAListIsNoRows() throws {
    let flat = try Self.decode(#"{"RequestId":"E","TotalCount":0,"PageSize":20,"CurrentPage":1}"#)
    #expect(flat == ScanPage(requestId: "E", totalCount: 0, pageSize: 20, currentPage: 1, scans: []))
    let wrapped = try Self.decode(#"{"requestId":"E","data":{"TotalCount":0,"PageSize":20},"code":200,"success":true}"#)
    #expect(wrapped.scans.isEmpty)
    #expect(wrapped.totalCount == 0)
  }

  @Test func decodesOnlyWantedFields() throws {
    let page = try ResponseDecoder.page(
      from: Data(#"{"List":[{"ScanId":"1","Name":"n","Status":"running"}],"TotalCount":1}"#.utf8), format: .json,
      wanted: FieldSet([.status]))
    #expect(page.scans[0] == Scan([.status: .string("running")]))
  }

  @Test func rejectsWhatNoAnswerLooksLike() {
    #expect(
      Self.malformed(#"{"TotalCount":1,"List":{"ScanId":"1"}}"#)
        == "malformed response: 'List' is a JSON object, expected a list of scans")
    #expect(
      Self.malformed(#"{"TotalCount":"many","List":[]}"#)
        == "malformed response: 'TotalCount' is \"many\", expected a non-negative integer")
    #expect(
      Self.malformed(#"{"TotalCount":-5,"List":[]}"#)
        == "malformed response: 'TotalCount' is -5, expected a non-negative integer")
    #expect(
      Self.malformed(#"{"data":{"PageCount":-1,"List":[]}}"#)
        == "malformed response: 'PageCount' is -1, expected a non-negative integer")
    #expect(
      Self.malformed(#"{"TotalCount":3,"PageSize":0,"List":[]}"#)
        == "malformed response: 'PageSize' is 0, expected at least 1")
    #expect(
      Self.malformed(#"{"TotalCount":3,"List":[{"ScanId":"1"},"#)
        == "malformed response: invalid JSON: unexpected end of JSON at byte 39")
    #expect(Self.malformed(#"{"RequestId":"x"}"#) == "malformed response: the response has no 'List' of scans")
    #expect(
      Self.malformed(#"{"TotalCount":2,"PageSize":20}"#) == "malformed response: the response has no 'List' of scans")
    #expect(
      Self.malformed(#"{"TotalCount":1,"List":[5]}"#)
        == "malformed response: item 1 of 'List' is a JSON number, expected a scan object")
    #expect(
      Self.malformed("<html><body>502 Bad Gateway</body></html>")
        == "malformed response: expected JSON, but the body is XML or HTML: '<html><body>502 Bad Gateway</body></html>'"
    )
    #expect(Self.malformed("") == "malformed response: the body is empty")
    #expect(
      Self.malformed(#"{"TotalCount":1} trailing"#)
        == "malformed response: invalid JSON: unexpected content after the JSON object at byte 17")
    #expect(
      Self.malformed(#"{"List":[]}"#, format: .xml)
        == "malformed response: expected XML, but the body starts '{\"List\":[]}'")
    #expect(
      Self.malformed("<html><body>oops</body></html>", format: .xml)
        == "malformed response: expected XML, but the body is an HTML page: '<html><body>oops</body></html>'")
  }

  @Test func rejectsBytesThatAreNotUTF8() {
    var bytes = Array(#"{"TotalCount":1,"List":[{"Name":""#.utf8)
    bytes += [0xC3, 0x28]
    bytes += Array(#""}]}"#.utf8)
    #expect(throws: ScanAPIError.malformedResponse("invalid JSON: a string is not valid UTF-8 at byte 33")) {
      try ResponseDecoder.page(from: Data(bytes), format: .json)
    }
  }

  @Test func boundsNesting() {
    let deep = String(repeating: "[", count: 10_000)
    #expect(
      Self.malformed(#"{"TotalCount":1,"Junk":"# + deep)
        == "malformed response: invalid JSON: JSON nested more than 256 levels deep at byte 279")
  }

  @Test func anErrorInASuccessfulStatusIsAnAPIError() {
    #expect(
      Self.malformed(#"{"requestId":"r","code":"InternalError","message":"boom","success":false}"#)
        == "InternalError: boom (HTTP 200, RequestId r)")
  }

  @Test func readsAPIErrorBodies() {
    let body =
      #"{"RequestId":"R","HostId":"avds.aliyuncs.com","Code":"Throttling.User","Message":"slow down","Recommend":"https://x"}"#
    #expect(
      ResponseDecoder.apiError(from: Data(body.utf8), httpStatus: 400)
        == APIError(
          httpStatus: 400, code: "Throttling.User", message: "slow down", requestId: "R", hostId: "avds.aliyuncs.com",
          recommend: "https://x"))
    let xml = "<Error><RequestId>R</RequestId><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error>"
    #expect(ResponseDecoder.apiError(from: Data(xml.utf8), httpStatus: 400)?.code == "SignatureDoesNotMatch")
    #expect(ResponseDecoder.apiError(from: Data("<html>bad gateway</html>".utf8), httpStatus: 502) == nil)
  }

  @Test func xmlWithSeveralTargetsAndWrappedItems() throws {
    let xml = """
      <?xml version="1.0" encoding="UTF-8"?>
      <DescribeScansResponse><RequestId>R</RequestId><TotalCount>1</TotalCount>
      <List><Scan><ScanId>7</ScanId><Targets>a.example.com</Targets><Targets>b.example.com</Targets>
      <Name><![CDATA[x & y]]></Name><RunPercent>12.5</RunPercent></Scan></List></DescribeScansResponse>
      """
    let page = try Self.decode(xml, format: .xml)
    #expect(
      page.scans == [
        Scan([
          .scanId: .string("7"), .targets: .list(["a.example.com", "b.example.com"]), .name: .string("x & y"),
          .runPercent: .number(12.5),
        ])
      ])
  }

  @Test func writesScansBackAsJSON() throws {
    let page = try ResponseDecoder.page(from: try Self.fixture("reference-sample.json"), format: .json)
    var writer = JSONWriter()
    page.scans[0].writeJSON(to: &writer)
    let text = String(decoding: writer.bytes, as: UTF8.self)
    #expect(
      text.hasPrefix(#"{"ScanId":"2018071010384940572","Name":"test_0710-3","Status":"finished","ScanType":"vuln","#))
    #expect(text.contains(#""RunPercent":100,"StartDate":1531190450000,"EndDate":1531191010000,"#))
    #expect(text.contains(#""Targets":["***. ***.net"]"#))
  }
}
