import Vocabulary

/// One record as a listing returned it: a scan task (one optional value per `ScanField`), or a
/// run or finding (one per column of its `Resource`).
public struct Scan: Sendable, Hashable {
  public var values: [FieldValue?]

  public init() {
    values = Array(repeating: nil, count: ScanField.allCases.count)
  }

  public init(resource: Resource) {
    values = Array(repeating: nil, count: resource.columns.count)
  }

  public init(_ fields: [ScanField: FieldValue]) {
    self.init()
    for (field, value) in fields { self[field] = value }
  }

  public subscript(field: ScanField) -> FieldValue? {
    get { values[field.rawValue] }
    set { values[field.rawValue] = newValue }
  }

  /// The task's ID; the key rows are deduplicated and diffed by.
  public var scanId: String? { self[.scanId]?.text }

  /// The value of the resource's key column, as text.
  public func key(in resource: Resource) -> String? { values[resource.key]?.text }

  public var row: Row { Row(values: values) }
}
