import Foundation
import ScanAPI
import TestSupport
import Testing

/// Report links: where they are fetched from, what a download must be, what a file is called.
struct ReportLinkTests {
  /// The storage service's signature does not cover the scheme: a plain link beyond loopback is
  /// fetched over https (read from the plan, never connected to).
  @Test(arguments: [
    (
      "http://bucket.oss-cn-shanghai.aliyuncs.com/VUL_REPORT/1?Expires=1&OSSAccessKeyId=k&Signature=s%3D",
      "https://bucket.oss-cn-shanghai.aliyuncs.com/VUL_REPORT/1?Expires=1&OSSAccessKeyId=k&Signature=s%3D"
    ),
    ("http://reports.example.com:80/a.pdf", "https://reports.example.com/a.pdf"),
    ("https://reports.example.com/a.pdf", "https://reports.example.com/a.pdf"),
    ("http://127.0.0.1:8080/reports/1?Expires=2", "http://127.0.0.1:8080/reports/1?Expires=2"),
    ("http://localhost/reports/1", "http://localhost/reports/1"),
  ])
  func linksAreFetchedOverHTTPSBeyondLoopback(_ link: String, _ fetched: String) throws {
    #expect(try ReportLink.fetchURL(link).absoluteString == fetched)
  }

  @Test func otherSchemesAndNonURLsAreRefused() {
    #expect(throws: ScanAPIError.malformedResponse("the report link 'ftp://example.com/a' is not http or https")) {
      try ReportLink.fetchURL("ftp://example.com/a?Signature=secret")
    }
    #expect(throws: ScanAPIError.malformedResponse("the report link 'not a link' is not a URL")) {
      try ReportLink.fetchURL("not a link")
    }
  }

  @Test func fileNamesFollowTheContentType() {
    let link = "https://example.com/VUL_REPORT/abc?Expires=1"
    #expect(ReportFile(data: Data(), contentType: "application/pdf").fileExtension(link: link) == "pdf")
    #expect(ReportFile(data: Data(), contentType: "text/html; charset=utf-8").fileExtension(link: link) == "html")
    #expect(
      ReportFile(
        data: Data(), contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
      ).fileExtension(link: link) == "docx")
    #expect(
      ReportFile(data: Data(), contentType: "application/octet-stream").fileExtension(link: "https://e.com/r.zip?x")
        == "zip")
    #expect(ReportFile(data: Data(), contentType: nil).fileExtension(link: link) == "bin")
  }

  /// A body shorter than its Content-Length, and an expired link: errors that name the link
  /// without its signature.
  @Test func downloadsThatFailSayWhy() async throws {
    let server = try HostileServer { request in
      if request.requestLine.hasPrefix("GET /expired") {
        return .respond(status: 403, headers: ["Content-Type": "application/xml"], body: Array("<Error/>".utf8))
      }
      return .truncated(
        status: 200, headers: ["Content-Type": "application/pdf"], body: Array("%PDF".utf8), declared: 1000)
    }
    defer { server.stop() }
    let client = ScanClient(
      configuration: .init(
        endpoint: try Endpoint(server.endpoint), credentials: Credentials(accessKeyId: "i", accessKeySecret: "s")),
      transport: NIOTransport(timeout: .seconds(10)))
    let base = "http://127.0.0.1:\(server.port)"
    await #expect(
      throws: ScanAPIError.network(
        endpoint: "\(base)/expired/1",
        reason: "the storage service answered HTTP 403 (the link may have expired)")
    ) {
      _ = try await client.download("\(base)/expired/1?Expires=1&Signature=secret")
    }
    do {
      _ = try await client.download("\(base)/short/1?Expires=1&Signature=secret")
      Issue.record("a short body was taken")
    } catch let error as ScanAPIError {
      #expect(error.description.hasPrefix("network error talking to \(base)/short/1: "))
      #expect(!error.description.contains("secret"))
    }
  }
}
