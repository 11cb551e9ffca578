import Foundation
import ScanAPI

/// Everything `scansh sim` can be told.
public struct SimulatorConfiguration: Sendable {
  public var host = "127.0.0.1"
  /// 0 picks a free port.
  public var port = 0
  public var seed: UInt64 = 1
  public var scanCount = 200
  /// Scans read from an ndjson file instead of generated.
  public var dataset: [Scan]?
  /// The simulated time the data is generated around; nil means now.
  public var epoch: Date?
  /// Simulated seconds per real second; 0 freezes simulated time.
  public var clockSpeed = 1.0
  public var latency: Duration = .zero
  public var jitter: Duration = .zero
  /// Fraction of DescribeScans requests answered with Throttling.
  public var throttleRate = 0.0
  /// Fraction answered with a 503 ServiceUnavailable.
  public var errorRate = 0.0
  /// New scans inserted after each DescribeScans answer, to test listings that change mid-read.
  public var drift = 0
  public var maxPageSize = 100
  public var accessKeyId = "testid"
  public var accessKeySecret = "testsecret"
  /// Answer JSON in the flat PascalCase shape instead of the reference's wrapped one.
  public var flat = false
  /// Request bodies over this size get 413.
  public var maxRequestBody = 64 << 10

  public init() {}
}
