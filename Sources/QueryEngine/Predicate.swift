import QueryLanguage
import ScanAPI
import Vocabulary

/// A compiled condition over a row's columns, with literals already converted to the column's
/// kind, so evaluating it allocates nothing in the common cases.
public struct Predicate: Sendable {
  public indirect enum Node: Sendable {
    case and([Node])
    case or([Node])
    case not(Node)
    case test(Test)
  }

  public enum Literal: Sendable, Equatable {
    /// Text, and its case-folded form for `~` and enumerations.
    case text(String, folded: String)
    case number(Double)
  }

  public struct Test: Sendable {
    public var column: Int
    public var kind: FieldKind
    /// The positive operator (`=` for `!=`, `~` for `!~`, `=` for `in`).
    public var op: Operator
    public var literals: [Literal]
    /// `!=`, `!~` and `not in`: holds when the positive form does not. On a list, that means no element
    /// matches; on a missing field, it holds.
    public var negated: Bool
  }

  public var root: Node
  /// The columns the condition reads.
  public var columns: Set<Int>

  public func matches(_ row: Row) -> Bool { Self.evaluate(root, row) }

  static func evaluate(_ node: Node, _ row: Row) -> Bool {
    switch node {
    case .and(let nodes): return nodes.allSatisfy { evaluate($0, row) }
    case .or(let nodes): return nodes.contains { evaluate($0, row) }
    case .not(let inner): return !evaluate(inner, row)
    case .test(let test):
      guard let value = row.values[test.column] else { return test.negated }
      let positive: Bool
      if case .list(let items) = value {
        positive = items.contains { holds(test, .string($0)) }
      } else {
        positive = holds(test, value)
      }
      return positive != test.negated
    }
  }

  private static func holds(_ test: Test, _ value: FieldValue) -> Bool {
    test.literals.contains { literal in compare(value, test.op, literal, kind: test.kind) }
  }

  static func compare(_ value: FieldValue, _ op: Operator, _ literal: Literal, kind: FieldKind) -> Bool {
    switch literal {
    case .number(let number):
      guard let actual = value.numberValue ?? Double(value.text) else { return false }
      switch op {
      case .equal: return actual == number
      case .less: return actual < number
      case .lessOrEqual: return actual <= number
      case .greater: return actual > number
      case .greaterOrEqual: return actual >= number
      case .notEqual, .contains, .notContains: return false
      }
    case .text(let text, let folded):
      let actual = value.stringValue ?? value.text
      switch op {
      case .contains: return TextMatch.contains(actual, folded: folded)
      case .equal:
        if case .enumeration = kind { return TextMatch.equalIgnoringCase(actual, folded: folded) }
        return actual == text
      case .less: return actual.utf8.lexicographicallyPrecedes(text.utf8)
      case .lessOrEqual: return !text.utf8.lexicographicallyPrecedes(actual.utf8)
      case .greater: return text.utf8.lexicographicallyPrecedes(actual.utf8)
      case .greaterOrEqual: return !actual.utf8.lexicographicallyPrecedes(text.utf8)
      case .notEqual, .notContains: return false
      }
    }
  }
}

/// Case-insensitive text tests, Unicode-aware, with an allocation-free path for ASCII.
enum TextMatch {
  static func fold(_ text: String) -> String { text.lowercased() }

  static func contains(_ haystack: String, folded needle: String) -> Bool {
    if needle.isEmpty { return true }
    var haystack = haystack
    let ascii = haystack.withUTF8 { $0.allSatisfy { $0 < 0x80 } }
    guard ascii, needle.utf8.allSatisfy({ $0 < 0x80 }) else {
      return fold(haystack).contains(needle)
    }
    return haystack.withUTF8 { bytes in
      var needle = needle
      return needle.withUTF8 { pattern in
        guard pattern.count <= bytes.count else { return false }
        let first = pattern[0]
        for start in 0...(bytes.count - pattern.count) where lower(bytes[start]) == first {
          var index = 1
          while index < pattern.count, lower(bytes[start + index]) == pattern[index] { index += 1 }
          if index == pattern.count { return true }
        }
        return false
      }
    }
  }

  static func equalIgnoringCase(_ text: String, folded: String) -> Bool {
    text == folded || fold(text) == folded
  }

  @inline(__always) private static func lower(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
  }
}
