/// A named, typed column of a result.
public struct Column: Sendable, Hashable {
  public var name: String
  public var kind: FieldKind

  public init(name: String, kind: FieldKind) {
    self.name = name
    self.kind = kind
  }
}

/// One row of a result; `values[i]` belongs to column `i`, and `nil` means the field was absent.
public struct Row: Sendable, Hashable {
  public var values: [FieldValue?]

  public init(values: [FieldValue?]) {
    self.values = values
  }
}
