import QueryLanguage
import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `group`: one row per combination of key values, with its count and aggregates. Largest count
/// first, ties by the keys; with a time bucket, in time order instead, and when the bucket is the
/// only key, every bucket between the first and the last is shown, empty ones with count 0. A list
/// field counts a row once under each of its values. Holds one entry per group.
final class GroupStream: StageStream {
  private let group: BoundGroup
  private let utc: Bool
  private var rows: [Row]?
  private var index = 0

  init(_ upstream: any RowStream, group: BoundGroup, utc: Bool) {
    self.group = group
    self.utc = utc
    super.init(upstream)
  }

  override func next() async throws -> Row? {
    if rows == nil { rows = try await collect() }
    guard let rows, index < rows.count else { return nil }
    index += 1
    return rows[index - 1]
  }

  /// A group's running totals.
  private struct Totals {
    var count = 0
    var aggregates: [Accumulator]
  }

  private func collect() async throws -> [Row] {
    var totals: [[FieldValue?]: Totals] = [:]
    var bucketStarts: [[FieldValue?]: Int64] = [:]
    let blank = Totals(aggregates: group.aggregates.map { Accumulator($0.function) })
    while let row = try await upstream.next() {
      for var key in keys(of: row) {
        if let (position, bucket) = group.bucket, case .number(let time)? = key[position] {
          let start = TimeBucket.start(of: Int64(time), bucket, utc: utc)
          key[position] = .string(TimeBucket.label(start, bucket))
          bucketStarts[key] = start
        }
        var entry = totals[key] ?? blank
        entry.count += 1
        for (position, aggregate) in group.aggregates.enumerated() {
          entry.aggregates[position].add(row.values[aggregate.column])
        }
        totals[key] = entry
      }
    }
    if let (_, bucket) = group.bucket, group.keys.count == 1 {
      // Every bucket between the first and the last, so a day with nothing shows as 0.
      let starts = bucketStarts.values
      if let first = starts.min(), let last = starts.max() {
        var start = first
        while start <= last {
          let key: [FieldValue?] = [.string(TimeBucket.label(start, bucket))]
          if totals[key] == nil {
            totals[key] = blank
            bucketStarts[key] = start
          }
          start = TimeBucket.next(after: start, bucket)
        }
      }
    }
    let ordered = totals.sorted { a, b in
      if group.bucket != nil {
        // Rows without the time (a scan not started) come after every bucket.
        let left = bucketStarts[a.key] ?? .max
        let right = bucketStarts[b.key] ?? .max
        if left != right { return left < right }
      } else if a.value.count != b.value.count {
        return a.value.count > b.value.count
      }
      for (x, y) in zip(a.key, b.key) {
        switch SortStream.compare(x, y) {
        case .ascending, .missingSecond: return true
        case .descending, .missingFirst: return false
        case .orderedSame: continue
        }
      }
      return false
    }
    return ordered.map { key, entry in
      Row(values: key + [.number(Double(entry.count))] + entry.aggregates.map(\.value))
    }
  }

  /// The key combinations a row counts under: one, unless a key is a list.
  private func keys(of row: Row) -> [[FieldValue?]] {
    var combinations: [[FieldValue?]] = [[]]
    for column in group.keys {
      let values: [FieldValue?]
      if case .list(let items) = row.values[column] {
        var seen = Set<String>()
        values = items.filter { seen.insert($0).inserted }.map { .string($0) }
      } else {
        values = [row.values[column]]
      }
      combinations = combinations.flatMap { prefix in values.map { prefix + [$0] } }
    }
    return combinations
  }
}

/// One aggregate's running value.
struct Accumulator {
  let function: AggregateFunction
  private var count = 0
  private var sum = 0.0
  private var best: FieldValue?

  init(_ function: AggregateFunction) { self.function = function }

  mutating func add(_ value: FieldValue?) {
    guard let value else { return }
    count += 1
    switch function {
    case .count: break
    case .sum, .avg: sum += value.numberValue ?? 0
    case .min, .max:
      guard let current = best else {
        best = value
        return
      }
      let order = SortStream.compare(value, current)
      if (function == .min && order == .ascending) || (function == .max && order == .descending) { best = value }
    }
  }

  var value: FieldValue? {
    switch function {
    case .count: .number(Double(count))
    case .sum: count == 0 ? nil : .number(sum)
    case .avg: count == 0 ? nil : .number(((sum / Double(count)) * 100).rounded() / 100)
    case .min, .max: best
    }
  }
}
