import QueryLanguage
import ScanAPI
import Vocabulary

/// Field names as users may write them: the API's names in any case, and short aliases.
public enum FieldCatalog {
  public static let aliases: [(alias: String, field: ScanField)] = [
    ("status", .status), ("type", .scanType), ("trigger", .triggerType), ("id", .scanId), ("name", .name),
    ("targets", .targets), ("target", .targets), ("progress", .runPercent), ("start", .startDate), ("end", .endDate),
  ]

  public static func field(named name: String) -> ScanField? {
    let lowered = name.lowercased()
    if let alias = aliases.first(where: { $0.alias == lowered }) { return alias.field }
    return ScanField.allCases.first { $0.apiName.lowercased() == lowered }
  }

  /// Every name a field can be written as: API names, then aliases.
  public static var allNames: [String] {
    ScanField.allCases.map(\.apiName) + aliases.map(\.alias)
  }

  public static func describe(_ kind: FieldKind) -> String {
    switch kind {
    case .string: "text"
    case .number: "number"
    case .time: "time"
    case .list: "list of text"
    case .enumeration(let values): "one of " + values.joined(separator: ", ")
    }
  }
}
