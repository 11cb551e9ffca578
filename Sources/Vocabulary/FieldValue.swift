/// One cell of a row. Which kind of field it belongs to is told by the row's column, not the value:
/// a time is a `.number` of epoch milliseconds, and a value the server sent in an unexpected type
/// survives as `.string` rather than vanishing.
public enum FieldValue: Sendable, Hashable {
  case string(String)
  case number(Double)
  case list([String])

  public var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  public var numberValue: Double? {
    if case .number(let number) = self { return number }
    return nil
  }

  /// Plain text for messages, CSV and completion: numbers without a needless `.0`, lists joined by `;`.
  public var text: String {
    switch self {
    case .string(let text): text
    case .number(let number): FieldValue.format(number)
    case .list(let items): items.joined(separator: ";")
    }
  }

  /// Integral values print as integers (`100`, `1531191010000`); others in their shortest exact form.
  public static func format(_ number: Double) -> String {
    if number.rounded() == number, abs(number) < 9.0e15 {
      return String(Int64(number))
    }
    return String(number)
  }
}
