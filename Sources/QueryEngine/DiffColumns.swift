import Vocabulary

/// The two columns `diff` adds to the rows it yields.
public enum DiffColumns {
  /// `added`, `removed` or `changed`.
  public static let change = Column(name: "Change", kind: .enumeration(Change.allCases.map(\.rawValue)))
  /// The names of the fields whose values differ (for `changed`).
  public static let changed = Column(name: "Changed", kind: .list)

  /// After a watch: where a removed row went (`finished`, `aborted`, `gone`), when it was asked.
  public static let reason = Column(name: "Reason", kind: .string)

  public enum Change: String, Sendable, CaseIterable {
    case added, removed, changed
  }
}
