import Synchronization
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Where text goes: stdout, stderr, or a buffer in tests.
public protocol TextSink: Sendable {
  func write(_ text: String)
}

/// Writes straight to a file descriptor, all of it, retrying short writes.
public struct FileDescriptorSink: TextSink {
  public let descriptor: Int32

  public init(_ descriptor: Int32) { self.descriptor = descriptor }

  public static let standardOutput = FileDescriptorSink(1)
  public static let standardError = FileDescriptorSink(2)

  public func write(_ text: String) { _ = Self.write(text, to: descriptor) }

  /// Writes all of `text`, retrying short and interrupted writes; false when the descriptor
  /// refuses (a closed pipe, a full disk).
  static func write(_ text: String, to descriptor: Int32) -> Bool {
    var text = text
    return text.withUTF8 { writeAll(UnsafeRawBufferPointer($0), to: descriptor) } == 0
  }
}

/// Collects text in memory, for tests.
public final class BufferSink: TextSink {
  private let buffer = Mutex("")

  public init() {}

  public func write(_ text: String) { buffer.withLock { $0 += text } }

  public var text: String { buffer.withLock { $0 } }

  /// Forgets what was written so far.
  public func clear() { buffer.withLock { $0 = "" } }
}

/// Gathers small writes into larger ones: rows are printed as they come, a few KiB at a time.
final class BatchedWriter {
  private let sink: any TextSink
  private var pending = ""
  private let threshold: Int
  /// Runs before each write, to clear a progress line.
  private let beforeWrite: (() -> Void)?

  init(_ sink: any TextSink, threshold: Int = 1 << 15, beforeWrite: (() -> Void)? = nil) {
    self.sink = sink
    self.threshold = threshold
    self.beforeWrite = beforeWrite
    pending.reserveCapacity(threshold)
  }

  func write(_ text: String) {
    pending += text
    if pending.utf8.count >= threshold { flush() }
  }

  func flush() {
    guard !pending.isEmpty else { return }
    beforeWrite?()
    sink.write(pending)
    pending.removeAll(keepingCapacity: true)
  }
}
