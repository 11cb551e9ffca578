/// How a field's values compare, complete and print.
public enum FieldKind: Sendable, Hashable {
  case string
  case number
  /// Epoch milliseconds.
  case time
  /// A list of strings; a comparison holds when it holds for any element.
  case list
  /// A string with a documented set of values; unknown values still survive as raw strings.
  case enumeration([String])
  /// A number the API sends for a named value (a finding's `Severity` 0–3): written by name or
  /// number, compared and sorted as the number, shown by name in tables and as sent elsewhere.
  case coded(CodeNames)

  public var isTime: Bool { self == .time }

  /// The names a user may write for the field's values, in the documented order.
  /// A value of an enumeration the reference does not list (the API adds values before its docs
  /// do). Other kinds have no documented set.
  public func isUndocumented(_ value: String) -> Bool {
    guard case .enumeration(let known) = self else { return false }
    return !known.contains(value.lowercased())
  }

  public var knownValues: [String] {
    switch self {
    case .enumeration(let values): values
    case .coded(let codes): codes.names
    default: []
    }
  }
}

/// The names of a coded field's values: `names[i]` is the value `codes[i]`.
public struct CodeNames: Sendable, Hashable {
  public var codes: [Int]
  public var names: [String]

  /// Names for the codes `first`, `first + 1`, … in order.
  public init(_ names: [String], from first: Int = 0) {
    self.names = names
    codes = Array(first..<(first + names.count))
  }

  public func code(named name: String) -> Int? {
    let lowered = name.lowercased()
    return names.firstIndex(of: lowered).map { codes[$0] }
  }

  /// The code a value written by name (`important`) or by number (`3`) stands for.
  public func code(written text: String) -> Int? {
    code(named: text) ?? Int(text).flatMap { codes.contains($0) ? $0 : nil }
  }

  public func name(of code: Double) -> String? {
    guard code.rounded() == code, let index = codes.firstIndex(of: Int(code)) else { return nil }
    return names[index]
  }
}
