/// A set of a resource's fields by column index, as a bit mask: which fields a decoder must fill in.
public struct FieldSet: Sendable, Hashable {
  public var mask: UInt64

  public init(mask: UInt64) { self.mask = mask }

  public init(_ fields: some Sequence<ScanField>) {
    self.init(indices: fields.map(\.rawValue))
  }

  public init(indices: some Sequence<Int>) {
    mask = 0
    for index in indices where index < 64 { mask |= 1 << UInt64(index) }
  }

  public static let all = FieldSet(mask: UInt64.max)

  public func contains(_ field: ScanField) -> Bool { contains(index: field.rawValue) }

  public func contains(index: Int) -> Bool {
    index < 64 && mask & (1 << UInt64(index)) != 0
  }

  public mutating func insert(_ field: ScanField) {
    mask |= 1 << UInt64(field.rawValue)
  }

  public func union(_ other: FieldSet) -> FieldSet { FieldSet(mask: mask | other.mask) }
}
