/// How a scan field's values compare, complete and print.
public enum FieldKind: Sendable, Hashable {
  case string
  case number
  /// Epoch milliseconds.
  case time
  /// A list of strings; a comparison holds when it holds for any element.
  case list
  /// A string with a documented set of values; unknown values still survive as raw strings.
  case enumeration([String])

  public var isTime: Bool { self == .time }

  public var knownValues: [String] {
    if case .enumeration(let values) = self { return values }
    return []
  }
}
