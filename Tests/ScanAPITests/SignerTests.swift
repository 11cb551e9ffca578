import Testing

@testable import ScanAPI

/// Expected signatures were computed independently, with Python's `hmac` and
/// `urllib.parse.quote(safe='~')`, never with this code.
struct SignerTests {
  static let common: [(String, String)] = [
    ("Action", "DescribeScans"), ("Version", "2017-11-29"), ("Format", "JSON"), ("AccessKeyId", "testid"),
    ("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0"),
    ("SignatureNonce", "d5b2c8a0-1f4e-4b7a-9c3d-2e6f8a1b0c9d"), ("Timestamp", "2026-11-29T04:00:00Z"),
  ]

  @Test func signsThePublicDocsExample() {
    let parameters = [
      ("AccessKeyId", "testid"), ("Action", "DescribeRegions"), ("Format", "XML"), ("SignatureMethod", "HMAC-SHA1"),
      ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"), ("SignatureVersion", "1.0"),
      ("Timestamp", "2016-02-23T12:46:24Z"), ("Version", "2014-05-26"),
    ]
    #expect(
      Signer.signature(method: "GET", parameters: parameters, secret: "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
  }

  @Test(arguments: [
    (
      "POST", "testsecret",
      [
        ("CurrentPage", "1"), ("PageSize", "100"), ("Search", "shop example.com"), ("StatusList.1", "running"),
        ("StatusList.2", "finished"),
      ],
      "9MLW+UBp4NCVrT7/RMRgi/Uoosc="
    ),
    (
      "POST", "testsecret",
      [("Search", "a*b~c+d&e=f"), ("ScanType", "vuln"), ("TriggerType", "date"), ("Lang", "en")],
      "eNQQmdDF17ox6jxsqADcY2fG1hg="
    ),
    (
      "GET", "s3cr3t/+=", [("Search", "官网漏洞扫描 équipe"), ("SourceIp", "1.2.3.4"), ("ScanId", "")],
      "GLO7psPzMwJllIaH1nXC3kf3SpA="
    ),
    (
      "POST", "testsecret", [("SecurityToken", "CAIS+token/with=="), ("Search", "100%")], "EdihywKf7OBnunxpqjydkNLC9eA="
    ),
  ])
  func signsDescribeScansWithAwkwardValues(
    method: String, secret: String, operation: [(String, String)], expected: String
  ) {
    #expect(Signer.signature(method: method, parameters: Self.common + operation, secret: secret) == expected)
  }

  @Test func stringToSignEncodesTwice() {
    let text = Signer.stringToSign(method: "post", parameters: [("Search", "a*b~c+d&e=f"), ("A", "1 2")])
    #expect(text == "POST&%2F&A%3D1%25202%26Search%3Da%252Ab~c%252Bd%2526e%253Df")
  }

  @Test func signatureItselfIsNotSigned() {
    let base = Self.common
    #expect(
      Signer.signature(method: "GET", parameters: base + [("Signature", "x")], secret: "k")
        == Signer.signature(method: "GET", parameters: base, secret: "k"))
  }

  @Test func percentEncoding() {
    #expect(PercentEncoding.encode("a b*c~d+e/é") == "a%20b%2Ac~d%2Be%2F%C3%A9")
    #expect(PercentEncoding.formEncode("a b*c") == "a+b%2Ac")
    #expect(PercentEncoding.pairs([("a b", "x=y&z"), ("é", "")]) == "a%20b=x%3Dy%26z&%C3%A9=")
    #expect(PercentEncoding.pairs([("a b", "1 2+3")], form: true) == "a+b=1+2%2B3")
    #expect(PercentEncoding.pairs([]) == "")
    #expect(PercentEncoding.decode("a+b%2Ac%C3%A9", plusIsSpace: true) == "a b*cé")
    #expect(PercentEncoding.decode("a+b", plusIsSpace: false) == "a+b")
    #expect(PercentEncoding.decode("%zz", plusIsSpace: true) == nil)
    #expect(PercentEncoding.decode("%FF", plusIsSpace: true) == nil)
  }
}
