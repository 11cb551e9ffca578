import Foundation
import Testing
import Vocabulary

/// The helpers that stand in for the older Foundation's (which the binary no longer links) give
/// what Foundation gives: the tests may use Foundation, so it is the oracle here.
struct FoundationReplacementTests {
  static let texts = [
    "", " ", "plain", "  both ends  ", "\ttabs\t", "\n\r\nlines\r\n", " \u{00A0}no-break\u{2003} ", "\u{2028}sep\u{85}",
    "a\r\nb", "\"q\u{301}\"", "x\u{1B}[0m", "日本語 ", " \u{FEFF}bom",
  ]

  @Test func trimmedDropsWhatCharacterSetWould() {
    for text in Self.texts {
      #expect(text.trimmed(.blanks) == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
      #expect(text.trimmed(.newlines) == text.trimmingCharacters(in: .newlines), "\(Array(text.unicodeScalars))")
      #expect(text.trimmed() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(text.unicodeScalars))")
    }
  }

  @Test func replacingScalarsFindsWhatFoundationFinds() {
    let pairs = [("\n", "%0A"), ("\r", "%0D"), ("\"", "\"\""), ("\u{1B}", "\u{1B}\u{1B}"), ("ab", "-"), ("", "x")]
    for text in Self.texts + ["abab", "a\r\n\r\nb"] {
      for (target, replacement) in pairs where !target.isEmpty {
        #expect(
          text.replacingScalars(target, with: replacement)
            == text.replacingOccurrences(of: target, with: replacement), "\(Array(text.unicodeScalars)) \(target)")
      }
    }
    // Where Characters would not match: "\n" inside "\r\n", a quote under a combining mark.
    #expect("a\r\nb".replacingScalars("\n", with: "|") == "a\r|b")
    #expect("\"q\u{301}\"".replacingScalars("\"", with: "'") == "'q\u{301}'")
  }

  @Test func decimalTextIsPrintfs() {
    for value in [0, 0.0004, 0.04, 1, 1.25, 1.35, 2.5, 9.999, 12.3456, 1023.96, 123456.789, -0.04, -3.14159] {
      for places in [0, 1, 3] {
        let printf = String(format: "%.\(places)f", value)
        #expect(DecimalText.fixed(value, places: places) == printf, "\(value) at \(places)")
      }
    }
  }

  /// What NSString's path methods give for these (read from them once: on Linux its
  /// `deletingLastPathComponent` traps on some strings, so it cannot be the oracle at run time).
  @Test func pathTextIsNSStrings() {
    let expected: [(path: String, last: String, deleting: String, pathExtension: String, appended: String)] = [
      ("a/b/c", "c", "a/b", "", "a/b/c/f.html"), ("/a/b/", "b", "/a", "", "/a/b/f.html"),
      ("c", "c", "", "", "c/f.html"),
      ("/", "/", "/", "", "/f.html"), ("/c", "c", "/", "", "/c/f.html"), ("a//b", "b", "a", "", "a//b/f.html"),
      ("dir/report.tar.gz", "report.tar.gz", "dir", "gz", "dir/report.tar.gz/f.html"),
      ("x/.hidden", ".hidden", "x", "", "x/.hidden/f.html"),
    ]
    for item in expected {
      #expect(PathText.lastComponent(of: item.path) == item.last, "\(item.path)")
      #expect(PathText.deletingLastComponent(of: item.path) == item.deleting, "\(item.path)")
      #expect(PathText.pathExtension(of: item.path) == item.pathExtension, "\(item.path)")
      #expect(PathText.appending("f.html", to: item.path) == item.appended, "\(item.path)")
    }
  }

  @Test func makeFoldersMakesEachMissingParent() throws {
    let base = NSTemporaryDirectory() + "scansh-folders-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: base) }
    try PathText.makeFolders(base + "/a/b/c", mode: 0o700)
    var isFolder: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: base + "/a/b/c", isDirectory: &isFolder) && isFolder.boolValue)
    try PathText.makeFolders(base + "/a/b/c")
    #expect(FileManager.default.createFile(atPath: base + "/file", contents: Data()))
    #expect(throws: SystemError.self) { try PathText.makeFolders(base + "/file/d") }
  }

  @Test func jsonValueReadsDocumentsAndScalars() throws {
    let document = try #require(
      JSONValue.parse(Data(#"{"Code":"Success","n":3,"f":1.5,"ok":true,"none":null,"list":[1,"a"]}"#.utf8)))
    #expect(document["Code"]?.string == "Success")
    #expect(document["n"]?.integer == 3)
    #expect(document["f"]?.integer == nil)
    #expect(document["f"]?.number == 1.5)
    #expect(document["ok"] == .bool(true))
    #expect(document["none"] == .null)
    #expect(document["list"] == .array([.number(1), .string("a")]))
    #expect(document["missing"] == nil)
    #expect(JSONValue.parse(Data("42".utf8)) == .number(42))
    #expect(JSONValue.parse(Data("{\"a\":".utf8)) == nil)
    #expect(JSONValue.parse(Data("not json".utf8)) == nil)
  }

  @Test func aChildProcessGetsItsStreamsAndExitStatus() throws {
    let child = try ChildProcess.spawn(
      "/bin/sh", arguments: ["-c", "read line; echo \"got $line\"; echo oops >&2; exit 3"], environment: [:],
      stdin: .pipe, stdout: .pipe, stderr: .output
    ).get()
    let input = try #require(child.input)
    let output = try #require(child.output)
    _ = "hello\n".withCString { write(input, $0, 6) }
    close(input)
    let printed = ReadableFile(descriptor: output, owned: true).readToEnd()
    #expect(String(decoding: printed, as: UTF8.self) == "got hello\noops\n")
    let status = child.wait()
    #expect(status & 0x7F == 0 && (status >> 8) & 0xFF == 3)
    let missing = ChildProcess.spawn("/no/such/program", arguments: [])
    guard case .failure(let error) = missing else {
      Issue.record("a missing program started")
      return
    }
    #expect(error.reason == "No such file or directory")
  }
}
