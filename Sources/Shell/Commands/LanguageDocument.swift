import QueryEngine
import QueryLanguage
import ScanAPI
import Vocabulary

/// docs/language.md, generated from the language reference table, the field catalog and the
/// settings, so the document cannot drift from what the parser accepts (a test compares them).
public enum LanguageDocument {
  public static var markdown: String {
    var text = """
      # The scansh language

      <!-- Generated from the language reference table (LanguageReference.swift); `scripts/gen-docs` rewrites it. -->

      One statement per line. A line ending in `|` or `\\` continues, and so does a line before one
      that starts with `|`; `;` separates statements; `#` starts a comment.

      ```
      statement := pipeline | command
      pipeline  := source ('|' stage)*
      ```

      """
    for (kind, title) in [
      (LanguageEntry.Kind.source, "Sources"), (.stage, "Stages"), (.command, "Commands"),
    ] {
      text += "\n## \(title)\n"
      for entry in LanguageReference.entries where entry.kind == kind {
        text += "\n### `\(entry.signature)`\n\n\(entry.summary)\n"
        if !entry.aliases.isEmpty {
          text += "Also written: " + entry.aliases.map { "`\($0)`" }.joined(separator: ", ") + ".\n"
        }
        // As a demo session shows them: the statement at the prompt, then what it prints.
        for example in entry.examples {
          text += "\n```\nscansh(demo)> \(example.statement)\n\(example.output)```\n"
        }
      }
    }
    text += """

      ## Conditions

      `where`, `expect all|any|none` and `watch … until` take a condition:
      `COND and COND`, `COND or COND`, `not COND`, `( COND )`, or a comparison.

      | operator | meaning | example |
      |---|---|---|
      | `=` | equals (enum fields ignore case) | `status = running` |
      | `!=` | differs, or the field is missing | `type != content` |
      | `<` `<=` `>` `>=` | orders numbers and times numerically, text by its bytes | `RunPercent >= 50` |
      | `~` | contains, ignoring case (Unicode-aware) | `name ~ prod` |
      | `!~` | does not contain | `targets !~ example.cn` |
      | `in (…)` | equals one of | `status in (aborted, invalid)` |
      | `not in (…)` | equals none of | `status not in (finished, disabled)` |

      A comparison on a missing field is false (`!=`, `!~` and `not in` are true). On a list field
      (`Targets`) a comparison holds when it holds for any item; the negative ones hold when no item
      matches the positive form. `~` on a number or a time is an error, as is a value of the wrong kind.

      ## Values

      | form | example |
      |---|---|
      | bare word | `running`, `shop.example.com`, `test_0710-3` |
      | quoted, either quote, `\\` escapes | `'prod shop'`, `"it's"` |
      | number | `50`, `12.5`, `2018071010384940572` (kept exactly) |
      | duration | `250ms`, `30s`, `5m`, `2h`, `1d` |
      | time (UTC unless a zone is given) | `2024-07-10`, `2024-07-10T10:00:00Z`, `2024-07-10T18:00+08:00` |
      | relative time | `now`, `now-1d`, `now+2h` |

      On a time field, a duration means that long ago: `start > 2h` is `start > now-2h`.

      ## Fields

      Field names match the API's in any case; these aliases also work. Each source has its own
      fields; `Account` is scansh's (the account a row was listed from), and so are a finding's
      `ScanId` and `ScanName` (its task's, when the statement knows it).

      """
    for resource in Resource.all {
      text += "\n### \(resource) (\(resource.action))\n\n| field | aliases | kind |\n|---|---|---|\n"
      for column in resource.columns {
        let aliases = FieldCatalog.aliases(of: column.name, in: resource).map { "`\($0)`" }.joined(separator: ", ")
        var kind = FieldCatalog.describe(column.kind)
        if resource.detailColumns.contains(resource.index(of: column.name)!) { kind += " (from DescribeVulnerability)" }
        text += "| `\(column.name)` | \(aliases) | \(kind) |\n"
      }
    }
    text += """

      ## Settings

      `set NAME VALUE` changes these for the rest of the session or script.

      | name | values |
      |---|---|

      """
    for setting in LanguageReference.settings {
      text +=
        "| `\(setting.name.rawValue)` | \(setting.accepted): \(setting.summary) (default \(setting.defaultValue)) |\n"
    }
    text += """

      ## Output formats

      `--format`, `set format` and the `format` stage take one of these.

      | format | output |
      |---|---|

      """
    for format in OutputFormat.allCases { text += "| `\(format.rawValue)` | \(format.summary) |\n" }
    return text
  }
}
