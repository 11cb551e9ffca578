/// A set of scan fields, as a bit mask: which fields a decoder must fill in.
public struct FieldSet: Sendable, Hashable {
  public var mask: UInt32

  public init(mask: UInt32) { self.mask = mask }

  public init(_ fields: some Sequence<ScanField>) {
    mask = 0
    for field in fields { mask |= 1 << UInt32(field.rawValue) }
  }

  public static let all = FieldSet(mask: UInt32.max)

  public func contains(_ field: ScanField) -> Bool {
    mask & (1 << UInt32(field.rawValue)) != 0
  }

  public mutating func insert(_ field: ScanField) {
    mask |= 1 << UInt32(field.rawValue)
  }

  public func union(_ other: FieldSet) -> FieldSet { FieldSet(mask: mask | other.mask) }
}
