import Foundation
import ScanAPI
import Shell
import Vocabulary

// In-process measurements for scripts/bench: what cannot be timed from outside a process.
//   scansh-bench completion   median milliseconds per Tab completion with 10,000 known ScanIds

func completion() {
  let known = KnownValues()
  let columns = [Column(name: "ScanId", kind: .string), Column(name: "Name", kind: .string)]
  var recorder = known.recorder(columns: columns, everything: true)
  var random = SystemRandomNumberGenerator()
  for index in 0..<10_000 {
    // Like real IDs: a creation time (here, a random one in 2026), then five digits.
    let stamp = 2026_0101_000000 + Int.random(in: 0..<1_1230_000000, using: &random)
    let id = "\(stamp)" + String(String(100_000 + index).suffix(5))
    recorder.record(Row(values: [.string(id), .string("scan-\(index)")]))
  }
  let lines = [
    "scans where id = 2026", "scans where id = 20261", "scans | where ScanId in (2026", "scans where status = runn",
    "scans | sort RunPer", "scans | where name = scan-99",
  ]
  var samples: [Double] = []
  for _ in 0..<200 {
    for line in lines {
      let start = ContinuousClock.now
      let result = Completer.complete(line, cursor: line.utf8.count, values: { known.values(for: $0) })
      let elapsed = ContinuousClock.now - start
      precondition(!result.candidates.isEmpty, "no candidates for \(line)")
      samples.append(Double(elapsed / .nanoseconds(1)) / 1e6)
    }
  }
  samples.sort()
  let median = samples[samples.count / 2]
  let p99 = samples[samples.count * 99 / 100]
  print("{\"median_ms\": \(median), \"p99_ms\": \(p99), \"known_ids\": \(known.values(for: .scanId).count)}")
}

switch CommandLine.arguments.dropFirst().first {
case "completion": completion()
default:
  FileHandle.standardError.write(Data("usage: scansh-bench completion\n".utf8))
  exit(2)
}
