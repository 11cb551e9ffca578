#!/usr/bin/env python3
"""Puts what the reference examples printed (JSON: statement -> output, from
`UPDATE_EXAMPLES=FILE swift test --filter theReferenceExamplesPrintWhatTheTableSays`) into the
table, Sources/QueryLanguage/LanguageReference+Entries.swift, as each example's `prints:`."""
import json
import re
import sys

table_path, printed_path = sys.argv[1], sys.argv[2]
printed = json.load(open(printed_path, encoding="utf-8"))
text = open(table_path, encoding="utf-8").read()

# .init("STATEMENT") or .init("STATEMENT", prints: "..." / """...""")
pattern = re.compile(
    r'\.init\(\n?(\s*)"((?:[^"\\]|\\.)*)"(?:,\s*prints:\s*(?:"""\n.*?\n\s*"""|"(?:[^"\\]|\\.)*"))?\)', re.S)


def literal(output, indent):
    if output == "":
        return None
    if output.count("\n") <= 1:
        return json.dumps(output, ensure_ascii=False)
    body = output.replace("\\", "\\\\").replace('"""', '\\"""')
    lines = body.split("\n")
    # A final newline in the output is the literal's last empty line; Swift drops the one before """.
    rendered = "\n".join((indent + line) if line else "" for line in lines)
    return '"""\n' + rendered + "\n" + indent + '"""'


def replace(match):
    statement = json.loads('"' + match.group(2) + '"')
    if statement not in printed:
        return match.group(0)
    indent = " " * 10
    value = literal(printed[statement], indent)
    head = '.init('
    quoted = '"' + match.group(2) + '"'
    return head + quoted + (", prints: " + value if value else "") + ")"


text = pattern.sub(replace, text)
open(table_path, "w", encoding="utf-8").write(text)
