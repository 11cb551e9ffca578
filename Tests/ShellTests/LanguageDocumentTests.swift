import Foundation
import QueryLanguage
import Testing

@testable import Shell

/// docs/language.md is generated from the language reference table; this fails when they
/// disagree. `UPDATE_DOCS=1 swift test --filter LanguageDocumentTests` (or scripts/gen-docs)
/// rewrites it.
struct LanguageDocumentTests {
  static var path: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("docs/language.md")
  }

  @Test func documentMatchesTheTable() throws {
    let generated = LanguageDocument.markdown
    if ProcessInfo.processInfo.environment["UPDATE_DOCS"] == "1" {
      try generated.write(to: Self.path, atomically: true, encoding: .utf8)
    }
    let committed = try String(contentsOf: Self.path, encoding: .utf8)
    #expect(committed == generated, "docs/language.md is stale: run scripts/gen-docs")
  }

  @Test func everyEntryAndFieldIsDocumented() {
    let text = LanguageDocument.markdown
    for entry in LanguageReference.entries {
      #expect(text.contains("### `\(entry.signature)`"))
      for example in entry.examples { #expect(text.contains(example.statement + "\n")) }
    }
    for alias in ["status", "type", "trigger", "id", "progress", "start", "end", "targets", "target", "name"] {
      #expect(text.contains("`\(alias)`"))
    }
    for op in ["`=`", "`!=`", "`~`", "`!~`", "`in (…)`", "`not in (…)`"] { #expect(text.contains(op)) }
  }
}
