import Vocabulary

/// A scan task as DescribeScans returned it: one optional value per `ScanField`.
public struct Scan: Sendable, Hashable {
  public var values: [FieldValue?]

  public init() {
    values = Array(repeating: nil, count: ScanField.allCases.count)
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

  public var row: Row { Row(values: values) }
}
