import QueryLanguage
import ScanAPI
import Vocabulary

/// The columns rows have at some point of a pipeline, and how field names resolve against them.
public struct Schema: Sendable, Equatable {
  /// What the rows are at this point of the pipeline.
  public enum Shape: String, Sendable, Equatable {
    /// Whole rows of `resource` (scans, runs or findings): one column per field of it, in catalog
    /// order (a `diff` may add its two after).
    case scans
    /// Columns a stage chose: `select`, `count`, `group`, or a `diff` of such rows.
    case select, count, group, diff
  }

  public var columns: [Column]
  public var shape: Shape
  /// Whose fields the rows hold (for whole rows), or came from.
  public var resource: Resource

  public static let scans = Schema(resource: .scans)

  /// Whole rows of a resource.
  public init(resource: Resource) {
    self.init(columns: resource.columns, shape: .scans, resource: resource)
  }

  public init(columns: [Column], shape: Shape, resource: Resource = .scans) {
    self.columns = columns
    self.shape = shape
    self.resource = resource
  }

  /// Rows are whole rows of their resource.
  public var isScans: Bool { shape == .scans }

  /// The column a name refers to: API names in any case and aliases; after `select`, `group` or
  /// `count`, only the columns those kept.
  public func index(of name: String) -> Int? {
    if isScans, let field = FieldCatalog.field(named: name, in: resource) { return field }
    let lowered = name.lowercased()
    if let index = columns.firstIndex(where: { $0.name.lowercased() == lowered }) { return index }
    if let field = FieldCatalog.field(named: name, in: resource) {
      return columns.firstIndex { $0.name == resource.columns[field].name }
    }
    return nil
  }

  /// Resolves a field or explains, at its span, why it cannot.
  public func resolve(_ field: FieldName) throws(Diagnostic) -> Int {
    if let index = index(of: field.name) { return index }
    if isScans, let owner = Resource.all.first(where: { FieldCatalog.field(named: field.name, in: $0) != nil }) {
      let name = owner.columns[FieldCatalog.field(named: field.name, in: owner)!].name
      throw Diagnostic(
        "'\(field.name)' is a field of \(owner), not of \(resource)", at: field.span,
        help: Suggestion.didYouMean(field.name, in: FieldCatalog.allNames(of: resource))
          ?? "'\(name)' is on \(owner) rows: try '\(relationHint(to: owner))'")
    }
    let candidates =
      isScans
      ? FieldCatalog.allNames(of: resource) + columns.dropFirst(resource.columns.count).map(\.name)
      : columns.map(\.name)
    var help = Suggestion.didYouMean(field.name, in: candidates)
    if help == nil, shape != .scans {
      help = "after '\(shape.rawValue)', the fields are: " + columns.map(\.name).joined(separator: ", ")
    }
    throw Diagnostic("unknown field '\(field.name)'", at: field.span, help: help ?? "'show fields' lists the fields")
  }

  private func relationHint(to owner: Resource) -> String {
    switch (resource.id, owner.id) {
    case (.scans, .sessions), (.scans, .findings), (.sessions, .findings): "… | \(owner) | where …"
    default: "\(owner) where …"
    }
  }
}
