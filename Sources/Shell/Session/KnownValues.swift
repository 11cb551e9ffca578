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

  /// A recorder for one result's rows, which finds its columns once rather than for every row.
  /// With `everything` false it records only the enum fields, what the binder reads to stay quiet
  /// about an undocumented value the API has sent; ScanIds, names and targets serve completion,
  /// which only the interactive shell has.
  public func recorder(columns: [Column], everything: Bool) -> Recorder {
    var slots: [Recorder.Slot] = []
    for field in Self.fields where everything || !field.kind.knownValues.isEmpty {
      if let index = columns.firstIndex(where: { $0.name == field.apiName }) {
        slots.append(Recorder.Slot(field: field, index: index, isEnumeration: !field.kind.knownValues.isEmpty))
      }
    }
    return Recorder(known: self, slots: slots)
  }

  public struct Recorder {
    struct Slot {
      let field: ScanField
      let index: Int
      let isEnumeration: Bool
      /// An enum field's values this recorder has already passed on: a handful, compared without
      /// hashing or locking, so a long listing pays almost nothing per row for them.
      var passed: [String] = []
    }

    private let known: KnownValues
    private var slots: [Slot]
    private var found: [(ScanField, String)] = []

    init(known: KnownValues, slots: [Slot]) {
      self.known = known
      self.slots = slots
    }

    public mutating func record(_ row: Row) {
      found.removeAll(keepingCapacity: true)
      for slotIndex in slots.indices {
        let slot = slots[slotIndex]
        guard let value = row.values[slot.index] else { continue }
        switch value {
        case .list(let items):
          for item in items { found.append((slot.field, item)) }
        case .string(let text) where slot.isEnumeration:
          if slot.passed.contains(text) { continue }
          if slot.passed.count < 32 { slots[slotIndex].passed.append(text) }
          found.append((slot.field, text))
        default:
          found.append((slot.field, value.text))
        }
      }
      guard !found.isEmpty else { return }
      known.insert(found)
    }
  }

  private func insert(_ found: [(ScanField, String)]) {
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
