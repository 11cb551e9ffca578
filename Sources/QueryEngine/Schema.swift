import QueryLanguage
import ScanAPI
import Vocabulary

/// The columns rows have at some point of a pipeline, and how field names resolve against them.
public struct Schema: Sendable, Equatable {
  /// What the rows are at this point of the pipeline.
  public enum Shape: String, Sendable, Equatable {
    /// Whole scans: one column per `ScanField`, in catalog order (a `diff` may add its two after).
    case scans
    /// Columns a stage chose: `select`, `count`, `group`, or a `diff` of such rows.
    case select, count, group, diff
  }

  public var columns: [Column]
  public var shape: Shape

  public static let scans = Schema(columns: Column.scanColumns, shape: .scans)

  public init(columns: [Column], shape: Shape) {
    self.columns = columns
    self.shape = shape
  }

  /// Rows are whole scans.
  public var isScans: Bool { shape == .scans }

  /// The column a name refers to: API names in any case and aliases; after `select`, `group` or
  /// `count`, only the columns those kept.
  public func index(of name: String) -> Int? {
    if isScans, let field = FieldCatalog.field(named: name) { return field.rawValue }
    let lowered = name.lowercased()
    if let index = columns.firstIndex(where: { $0.name.lowercased() == lowered }) { return index }
    if let field = FieldCatalog.field(named: name) {
      return columns.firstIndex { $0.name == field.apiName }
    }
    return nil
  }

  /// Resolves a field or explains, at its span, why it cannot.
  public func resolve(_ field: FieldName) throws(Diagnostic) -> Int {
    if let index = index(of: field.name) { return index }
    let candidates =
      isScans ? FieldCatalog.allNames + columns.dropFirst(ScanField.allCases.count).map(\.name) : columns.map(\.name)
    var help = Suggestion.didYouMean(field.name, in: candidates)
    if help == nil, shape != .scans {
      help = "after '\(shape.rawValue)', the fields are: " + columns.map(\.name).joined(separator: ", ")
    }
    throw Diagnostic("unknown field '\(field.name)'", at: field.span, help: help ?? "'show fields' lists the fields")
  }
}
