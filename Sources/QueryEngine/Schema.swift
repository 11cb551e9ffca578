import QueryLanguage
import ScanAPI
import Vocabulary

/// The columns rows have at some point of a pipeline, and how field names resolve against them.
public struct Schema: Sendable, Equatable {
  public var columns: [Column]
  /// True while rows are whole scans (one column per `ScanField`, in catalog order).
  public var isScans: Bool
  /// What shaped the columns, for messages: "select", "group", "count".
  public var shapedBy: String?

  public static let scans = Schema(columns: Column.scanColumns, isScans: true, shapedBy: nil)

  public init(columns: [Column], isScans: Bool, shapedBy: String?) {
    self.columns = columns
    self.isScans = isScans
    self.shapedBy = shapedBy
  }

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
    if help == nil, let shapedBy {
      help = "after '\(shapedBy)', the fields are: " + columns.map(\.name).joined(separator: ", ")
    }
    throw Diagnostic("unknown field '\(field.name)'", at: field.span, help: help ?? "'show fields' lists the fields")
  }
}
