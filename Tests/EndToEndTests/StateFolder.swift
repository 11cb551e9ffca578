import Foundation

/// A private state folder (`XDG_STATE_HOME`) for a shell's history, removed afterwards.
final class StateFolder {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-state-\(UUID().uuidString)").path
  deinit { try? FileManager.default.removeItem(atPath: path) }
  var history: String { path + "/scansh/history" }
}
