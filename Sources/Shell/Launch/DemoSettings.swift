import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Demo mode's simulator and its clock: fixed data (seed, count) generated around a fixed `epoch`,
/// with simulated time standing there until the first pipeline has read its rows (DemoClock) and
/// then running `speed` times as fast as real time. Every demo starts in the same world, so what
/// the README shows is what a newcomer sees.
public struct DemoSettings: Sendable, Equatable {
  public enum Reason: Sendable, Equatable {
    /// `--demo` asked for it.
    case asked
    /// Nothing in the credential chain yielded credentials, and no `--endpoint` was given.
    case noCredentials
  }

  public static let seed: UInt64 = 7
  public static let scans = 240
  public static let defaultSpeed = 60.0
  /// Where every demo's world starts: a Monday morning, with scans running.
  public static let defaultEpoch = Date(timeIntervalSince1970: 1_793_610_000)  // 2026-11-02T09:00:00Z
  /// Demo mode's accounts, each with its own data, so several accounts can be tried too.
  public static let accountNames = ["demo", "demo-dev"]

  public var seed = DemoSettings.seed
  public var scans = DemoSettings.scans
  public var epoch: Date
  public var speed: Double
  public var reason: Reason
  /// Which of `accountNames` this connection signs as.
  public var account = 0

  /// `SCANSH_DEMO_EPOCH` (epoch milliseconds or `yyyy-MM-ddTHH:mm:ssZ`) and
  /// `SCANSH_DEMO_CLOCK_SPEED` choose another start or speed (0 stops the clock).
  public init(environment: [String: String], reason: Reason) {
    epoch = environment["SCANSH_DEMO_EPOCH"].flatMap(Self.parseEpoch) ?? Self.defaultEpoch
    speed = environment["SCANSH_DEMO_CLOCK_SPEED"].flatMap(Double.init) ?? Self.defaultSpeed
    self.reason = reason
  }

  /// Epoch milliseconds or `yyyy-MM-ddTHH:mm:ssZ`, as `scansh sim --epoch` takes it.
  public static func parseEpoch(_ text: String) -> Date? {
    if let milliseconds = Int64(text) { return Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
    return WireTimestamp.parse(text).map { Date(timeIntervalSince1970: TimeInterval($0)) }
  }

  /// The simulated time after `elapsed` real time, so `now-1d` means the same in the demo's world
  /// as in its data.
  public func now(after elapsed: Duration) -> Date {
    epoch.addingTimeInterval(DurationText.seconds(elapsed) * speed)
  }

  /// The stderr notice that says statements are not going to a real account, and why.
  public var notice: String {
    switch reason {
    case .noCredentials:
      "scansh: demo mode: no credentials found, so statements run against the built-in simulator\n"
    case .asked:
      "scansh: demo mode (--demo): statements run against the built-in simulator\n"
    }
  }
}
