import Foundation
import Vocabulary

/// The fields of a scan task as DescribeScans returns them, in the reference's order.
public enum ScanField: Int, CaseIterable, Sendable, Hashable {
  case scanId, name, status, scanType, triggerType, flowName, runPercent
  case startDate, endDate, nextRunDate, lastSheduleDate, runtimeStart, runtimeEnd
  case targets, targetsOriginal, cronActive, jobStatistics, keyWords, period, interval
  case indexIntervalInMinute, siteIntervalInDay, refJobId, reportUrl, scanAll
  /// The account a row was listed from: scansh's field, not the API's (a profile's name, `env`,
  /// `demo`), so rows of several accounts stay apart.
  case account

  public static let statuses = ["waiting", "finished", "running", "aborted", "invalid", "disabled"]
  public static let scanTypes = ["vuln", "content"]
  public static let triggerTypes = ["date", "interval"]

  /// The field's name on the wire (note the API's own spelling of `LastSheduleDate`).
  public var apiName: String {
    switch self {
    case .scanId: "ScanId"
    case .name: "Name"
    case .status: "Status"
    case .scanType: "ScanType"
    case .triggerType: "TriggerType"
    case .flowName: "FlowName"
    case .runPercent: "RunPercent"
    case .startDate: "StartDate"
    case .endDate: "EndDate"
    case .nextRunDate: "NextRunDate"
    case .lastSheduleDate: "LastSheduleDate"
    case .runtimeStart: "RuntimeStart"
    case .runtimeEnd: "RuntimeEnd"
    case .targets: "Targets"
    case .targetsOriginal: "TargetsOriginal"
    case .cronActive: "CronActive"
    case .jobStatistics: "JobStatistics"
    case .keyWords: "KeyWords"
    case .period: "Period"
    case .interval: "Interval"
    case .indexIntervalInMinute: "IndexIntervalInMinute"
    case .siteIntervalInDay: "SiteIntervalInDay"
    case .refJobId: "RefJobId"
    case .reportUrl: "ReportUrl"
    case .scanAll: "ScanAll"
    case .account: "Account"
    }
  }

  public var kind: FieldKind {
    switch self {
    case .status: .enumeration(Self.statuses)
    case .scanType: .enumeration(Self.scanTypes)
    case .triggerType: .enumeration(Self.triggerTypes)
    case .jobStatistics: .enumeration(["running", "finished", "aborted"])
    case .period: .enumeration(["minute", "hour", "day", "week", "month"])
    case .runPercent, .interval, .indexIntervalInMinute, .siteIntervalInDay, .scanAll: .number
    case .startDate, .endDate, .nextRunDate, .lastSheduleDate: .time
    case .targets: .list
    default: .string
    }
  }

  public var column: Column { Column(name: apiName, kind: kind) }

  /// Looks a wire name up exactly, then ignoring case.
  public init?(apiName: String) {
    if let field = Self.byName[apiName] {
      self = field
    } else if let field = Self.byLowercasedName[apiName.lowercased()] {
      self = field
    } else {
      return nil
    }
  }

  /// The field whose wire name is exactly these bytes, without building a String. Every key of
  /// every scan comes through here: names are compared as three 64-bit words (all wire names are
  /// at most 24 bytes), a few candidates of the key's length each.
  static func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> ScanField? {
    let table = byLength
    if bytes.count < table.count, let base = bytes.baseAddress {
      let key = Packed(base, count: bytes.count)
      for candidate in table[bytes.count] where candidate.name == key { return candidate.field }
    }
    // Wire names are matched exactly first; other spellings go the slow, case-insensitive way.
    return ScanField(apiName: String(decoding: bytes, as: UTF8.self))
  }

  /// Up to 24 bytes of a name as three words, zero-padded.
  private struct Packed: Equatable {
    var words: (UInt64, UInt64, UInt64) = (0, 0, 0)

    init(_ base: UnsafePointer<UInt8>, count: Int) {
      for index in 0..<min(count, 24) {
        let byte = UInt64(base[index]) << (8 * UInt64(index % 8))
        switch index / 8 {
        case 0: words.0 |= byte
        case 1: words.1 |= byte
        default: words.2 |= byte
        }
      }
    }

    static func == (left: Packed, right: Packed) -> Bool {
      left.words.0 == right.words.0 && left.words.1 == right.words.1 && left.words.2 == right.words.2
    }
  }

  /// Wire names by their length in bytes; none is longer than 24.
  private static let byLength: [[(name: Packed, field: ScanField)]] = {
    var table = Array(repeating: [(name: Packed, field: ScanField)](), count: 25)
    for field in allCases {
      let name = Array(field.apiName.utf8)
      precondition(name.count <= 24, "wire name \(field.apiName) is longer than 24 bytes")
      let packed = name.withUnsafeBufferPointer { Packed($0.baseAddress!, count: $0.count) }
      table[name.count].append((packed, field))
    }
    return table
  }()

  private static let byName: [String: ScanField] = Dictionary(
    uniqueKeysWithValues: allCases.map { ($0.apiName, $0) })
  private static let byLowercasedName: [String: ScanField] = Dictionary(
    uniqueKeysWithValues: allCases.map { ($0.apiName.lowercased(), $0) })
}

extension Column {
  /// The columns of a full scan row, one per `ScanField`, in catalog order.
  public static let scanColumns: [Column] = ScanField.allCases.map(\.column)
}
