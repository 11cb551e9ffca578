"""Loads scansh's JUnit files with junitparser and validates them against junit.xsd.

    check.py FILE EXPECTED…   EXPECTED: one letter per case in order: p(assed) f(ailed) e(rror) s(kipped)
"""
import pathlib
import sys

import junitparser
import xmlschema

schema = xmlschema.XMLSchema(str(pathlib.Path(__file__).with_name("junit.xsd")))


def kind(case):
    if not case.result:
        return "p"
    first = case.result[0]
    return {junitparser.Failure: "f", junitparser.Error: "e", junitparser.Skipped: "s"}[type(first)]


def main():
    path, expected = sys.argv[1], "".join(sys.argv[2:])
    schema.validate(path)
    xml = junitparser.JUnitXml.fromfile(path)
    found = ""
    for suite in xml:
        counts = (suite.tests, suite.failures, suite.errors, suite.skipped)
        kinds = [kind(case) for case in suite]
        assert counts == (len(kinds), kinds.count("f"), kinds.count("e"), kinds.count("s")), (suite.name, counts, kinds)
        for case in suite:
            assert case.name and case.classname == suite.name and case.time >= 0, case
            for result in case.result:
                # Jenkins' schema gives `skipped` text only; failures and errors carry a message.
                said = result.text if isinstance(result, junitparser.Skipped) else result.message
                assert said, (case.name, "says nothing")
        found += "".join(kinds)
    assert found == expected, f"{path}: cases {found!r}, expected {expected!r}"
    print(f"{path}: valid against junit.xsd; junitparser reads {len(found)} cases ({found})")


main()
