import ScanAPI
import Synchronization
import Vocabulary

/// Values seen in earlier results (ScanIds, Names, targets, and the values of enum fields, which
/// may include ones the reference does not list), offered by Tab completion without an API call.
/// Bounded per field, first seen kept.
public final class KnownValues: Sendable {
  public static let fields: [ScanField] =
    [.scanId, .name, .targets, .account] + ScanField.allCases.filter { !$0.kind.knownValues.isEmpty }
  public static let capacity = 50_000

  private let values = Mutex<[ScanField: (ordered: [String], set: Set<String>)]>([:])

  public init() {}

  public func record(_ row: Row, columns: [Column]) {
    var found: [(ScanField, String)] = []
    for field in Self.fields {
      guard let index = columns.firstIndex(where: { $0.name == field.apiName }), let value = row.values[index] else {
        continue
      }
      if case .list(let items) = value {
        found += items.map { (field, $0) }
      } else {
        found.append((field, value.text))
      }
    }
    guard !found.isEmpty else { return }
    values.withLock { table in
      for (field, text) in found where !text.isEmpty {
        // Mutated in place: copying the entry out would copy its set on every insert.
        guard table[field, default: ([], [])].set.count < Self.capacity,
          table[field, default: ([], [])].set.insert(text).inserted
        else { continue }
        table[field, default: ([], [])].ordered.append(text)
      }
    }
  }

  public func values(for field: ScanField) -> [String] {
    values.withLock { $0[field]?.ordered ?? [] }
  }

  public func set(for field: ScanField) -> Set<String> {
    values.withLock { $0[field]?.set ?? [] }
  }
}
