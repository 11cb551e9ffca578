/// The words the grammar reads inside statements, besides the names of sources, stages and
/// commands (which are in `LanguageReference.entries`). The parser matches them and records them
/// as what it expects, so completion offers exactly what the parser would accept.
public enum Keyword: String, Sendable, Hashable, CaseIterable {
  case search, `where`, asc, desc, until, `for`, `in`, not, and, or, by, with, to
  /// The forms of a check (`expect …`, `watch … until …`).
  case empty, count, all, any, none
}

/// The forms `expect` and `watch … until` take, in the order help and completion list them.
public enum CheckForm: String, Sendable, Hashable, CaseIterable {
  case empty, count, all, any, none

  public var keyword: Keyword {
    switch self {
    case .empty: .empty
    case .count: .count
    case .all: .all
    case .any: .any
    case .none: .none
    }
  }
}
