import Testing

@testable import Shell

struct ReverseSearchTests {
  static let history = ["scans | count", "explain scans | count", "scans | group status", "help where"]

  @Test func narrowsAsKeysAreTyped() {
    var search = ReverseSearch(entries: Self.history)
    #expect(search.prompt == "(reverse-i-search)'': ")
    #expect(search.match == nil)
    search.type("s")
    #expect(search.match == "scans | group status")
    search.type("c")
    search.type("a")
    #expect(search.prompt == "(reverse-i-search)'sca': ")
    #expect(search.match == "scans | group status")
    search.type("n")
    search.type("s")
    search.type(" |")
    search.type(" c")
    #expect(search.match == "explain scans | count")
  }

  @Test func ctrlRFindsOlderLinesAndBackspaceUndoes() {
    var search = ReverseSearch(entries: Self.history)
    search.type("count")
    #expect(search.match == "explain scans | count")
    search.older()
    #expect(search.match == "scans | count")
    search.older()
    #expect(search.failed)
    #expect(search.prompt == "(failed reverse-i-search)'count': ")
    #expect(search.match == "scans | count")
    search.erase()
    #expect(!search.failed)
    #expect(search.match == "scans | count")
    search.erase()
    #expect(search.match == "explain scans | count")
  }

  @Test func aQueryNothingHoldsFailsAndKeepsTheLastMatch() {
    var search = ReverseSearch(entries: Self.history)
    search.type("group")
    search.type("z")
    #expect(search.failed)
    #expect(search.match == "scans | group status")
    search.erase()
    #expect(search.prompt == "(reverse-i-search)'group': ")
  }

  @Test func repeatedLinesAreShownOnce() {
    var search = ReverseSearch(entries: ["scans | count", "help", "scans | count", "scans | first 1"])
    search.type("scans")
    #expect(search.match == "scans | first 1")
    search.older()
    #expect(search.match == "scans | count")
    search.older()
    // The older "scans | count" is the same line: skipped, so the search fails.
    #expect(search.failed)
  }

  @Test func anEmptyHistoryFails() {
    var search = ReverseSearch(entries: [])
    search.type("x")
    #expect(search.failed)
    #expect(search.match == nil)
  }
}
