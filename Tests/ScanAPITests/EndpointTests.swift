import Testing

@testable import ScanAPI

struct EndpointTests {
  @Test(arguments: [
    ("https://avds.aliyuncs.com", "https://avds.aliyuncs.com/"),
    ("avds.aliyuncs.com", "https://avds.aliyuncs.com/"),
    ("http://127.0.0.1:8765", "http://127.0.0.1:8765/"),
    ("http://localhost:1/ignored/path", "http://localhost:1/"),
    ("http://[::1]:9000", "http://[::1]:9000/"),
  ])
  func accepts(_ text: String, _ normalized: String) throws {
    #expect(try Endpoint(text).description == normalized)
  }

  @Test func refusesPlainHTTPBeyondLoopback() {
    #expect(
      throws: ScanAPIError.invalidEndpoint(
        "refusing plain http:// to 'avds.aliyuncs.com': the AccessKey ID and request signatures would travel unencrypted; use https:// (plain http is allowed only to loopback addresses)"
      )
    ) { try Endpoint("http://avds.aliyuncs.com") }
    #expect(throws: ScanAPIError.self) { try Endpoint("http://128.0.0.1") }
    #expect(throws: ScanAPIError.invalidEndpoint("invalid endpoint 'ftp://x': the scheme must be https")) {
      try Endpoint("ftp://x")
    }
  }
}
