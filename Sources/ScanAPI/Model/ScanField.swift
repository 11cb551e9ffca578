import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

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

  public var column: Column { Resource.scans.columns[rawValue] }

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

  /// The field whose wire name is exactly these bytes, without building a String: every key of
  /// every scan comes through here.
  static func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> ScanField? {
    Resource.scans.names.index(of: bytes).flatMap(ScanField.init(rawValue:))
  }

  private static let byName: [String: ScanField] = Dictionary(
    uniqueKeysWithValues: allCases.map { ($0.apiName, $0) })
  private static let byLowercasedName: [String: ScanField] = Dictionary(
    uniqueKeysWithValues: allCases.map { ($0.apiName.lowercased(), $0) })
}

extension Column {
  /// The columns of a full scan row, one per `ScanField`, in catalog order, with their roles.
  public static let scanColumns: [Column] = Resource.scans.columns
}
