import ScanAPI
import Vocabulary

extension BoundCheck {
  /// Whether the check holds for a complete set of rows (what `watch … until` asks after each tick).
  public func holds(for rows: [Row]) -> Bool {
    switch kind {
    case .empty: rows.isEmpty
    case .count(let op, let number): ExpectStream.holds(rows.count, op, number)
    case .all(let predicate): rows.allSatisfy(predicate.matches)
    case .any(let predicate): rows.contains(where: predicate.matches)
    case .none(let predicate): !rows.contains(where: predicate.matches)
    }
  }
}
