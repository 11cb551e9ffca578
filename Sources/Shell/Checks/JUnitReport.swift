import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A run's checks as JUnit XML: one `testsuite` per script, one `testcase` per check. Only what the
/// strictest common schema (Jenkins' junit-4.xsd, which GitLab's and junitparser's readers accept
/// too) allows: where a case is goes into its text, since `testcase` has no `file` or `line` there.
public enum JUnitReport {
  public static func xml(_ log: CheckLog, timestamp: Date) -> String {
    let cases = log.cases
    var scripts = log.scripts
    for item in cases where !scripts.contains(item.script) { scripts.append(item.script) }
    let stamp = WireTimestamp.format(secondsSince1970: timestamp.timeIntervalSince1970)
    var suites = ""
    for (index, script) in scripts.enumerated() {
      let mine = cases.filter { $0.script == script }
      let counts = Counts(mine)
      suites +=
        "  <testsuite name=\"\(attribute(script))\" tests=\"\(mine.count)\" failures=\"\(counts.failed)\""
        + " errors=\"\(counts.errors)\" skipped=\"\(counts.skipped)\" time=\"\(seconds(counts.seconds))\""
        + " timestamp=\"\(stamp)\" id=\"\(index)\">\n"
      for item in mine { suites += testcase(item) }
      suites += "  </testsuite>\n"
    }
    let all = Counts(cases)
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      + "<testsuites name=\"scansh\" tests=\"\(cases.count)\" failures=\"\(all.failed)\" errors=\"\(all.errors)\""
      + " time=\"\(seconds(all.seconds))\">\n" + suites + "</testsuites>\n"
  }

  /// Writes the report to `path` atomically: a reader sees the old file or the whole new one.
  public static func write(_ log: CheckLog, to path: String, timestamp: Date) throws {
    try AtomicFile.write(Data(xml(log, timestamp: timestamp).utf8), to: path)
  }

  struct Counts {
    var failed = 0
    var errors = 0
    var skipped = 0
    var seconds = 0.0

    init(_ cases: [CheckLog.Case]) {
      for item in cases {
        seconds += item.seconds
        switch item.outcome {
        case .passed: break
        case .failed: failed += 1
        case .error: errors += 1
        case .skipped: skipped += 1
        }
      }
    }
  }

  private static func testcase(_ item: CheckLog.Case) -> String {
    let open =
      "    <testcase name=\"\(attribute(item.name))\" classname=\"\(attribute(item.script))\""
      + " time=\"\(seconds(item.seconds))\""
    let place = "\(item.script):\(item.line):\(item.column)"
    switch item.outcome {
    case .passed:
      return open + "/>\n"
    case .failed(let message, let rows):
      let body = ([place + ": " + message] + rows.map { "  " + $0 }).joined(separator: "\n")
      return open + ">\n      <failure message=\"\(attribute(message))\" type=\"expect\">"
        + text(body) + "</failure>\n    </testcase>\n"
    case .error(let message):
      let first = message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? message
      return open + ">\n      <error message=\"\(attribute(first))\" type=\"error\">"
        + text(message.hasPrefix(item.script + ":") ? message : place + ": " + message) + "</error>\n    </testcase>\n"
    case .skipped:
      return open + ">\n      <skipped>" + text("not run: an earlier statement stopped the run (\(place))")
        + "</skipped>\n    </testcase>\n"
    }
  }

  private static func seconds(_ value: Double) -> String { DecimalText.fixed(value, places: 3) }

  /// Text content: markup escaped, and characters XML 1.0 cannot hold at all replaced.
  static func text(_ value: String) -> String {
    var output = ""
    output.reserveCapacity(value.utf8.count)
    for scalar in value.unicodeScalars {
      switch scalar {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      default: output.unicodeScalars.append(allowed(scalar) ? scalar : "\u{FFFD}")
      }
    }
    return output
  }

  /// An attribute value in double quotes: line breaks and tabs as character references, so that a
  /// parser's attribute normalisation keeps them.
  static func attribute(_ value: String) -> String {
    var output = ""
    for scalar in text(value).unicodeScalars {
      switch scalar {
      case "\"": output += "&quot;"
      case "\n": output += "&#10;"
      case "\r": output += "&#13;"
      case "\t": output += "&#9;"
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output
  }

  /// XML 1.0's Char production.
  private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
    default: false
    }
  }
}
