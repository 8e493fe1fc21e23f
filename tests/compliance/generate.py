#!/usr/bin/env python3
"""Builds docs/compliance.md from the normative statements of MQTT 3.1.1 and 5.0.

Inputs:
  tests/compliance/statements.tsv    every normative statement (id, spec, section, side, summary)
  tests/compliance/dispositions.tsv  statements not covered by a test: spec, id, status, reason
                                     with status `n/a` (does not apply to a server) or `deferred`
  test sources                        tags `3.1.1:MQTT-x.y.z-n` / `5.0:MQTT-x.y.z-n` in the
                                     docstrings and comments of tests/integration and tests/unit

Every statement must end up covered by a test, marked n/a, or deferred with a reason. With
--check the script fails (exit 1) when docs/compliance.md is stale or a statement is unmarked,
so the test suite keeps the document true.
"""
import csv
import os
import re
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "docs", "compliance.md")
TAG = re.compile(r"\b(3\.1\.1|5\.0):(MQTT-\d+\.\d+(?:\.\d+)?-\d+)\b")
TEST_DEF = re.compile(r"^\s*(?:def (test_\w+)|TEST(?:_F|_P)?\((\w+),\s*(\w+)\))")


def read_tsv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def scan_tests():
    """(spec, id) -> {'file::test': is_xfail}. A tag counts for the test whose body holds it: in
    Python, the indented block of a top-level `def test_...`; in C++, a TEST(...) up to its closing
    brace in column 0. A tag at the top level of a Python file sits in a case table that the file's
    parametrized tests run, and is listed as such; anywhere else it is reported."""
    covered = defaultdict(dict)
    stray = []
    for base in ("tests/integration", "tests/unit"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, base)):
            for name in sorted(files):
                if not (name.endswith(".py") or name.endswith(".cpp")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, ROOT)
                python = name.endswith(".py")
                current, current_xfail, pending_xfail = None, False, False
                with open(path, encoding="utf-8") as f:
                    for lineno, line in enumerate(f, 1):
                        m = TEST_DEF.match(line)
                        if m and (not python or not line[0].isspace()):
                            current = m.group(1) or f"{m.group(2)}.{m.group(3)}"
                            current_xfail, pending_xfail = pending_xfail, False
                        elif python and line[:1] not in ("", " ", "\t", "\n", "#"):
                            # Any other top-level statement ends the test body.
                            current = None
                            if line.startswith("@"):
                                pending_xfail = pending_xfail or "pytest.mark.xfail" in line
                            else:
                                pending_xfail = False
                        elif not python and line.rstrip() == "}":
                            current = None
                        for spec, sid in TAG.findall(line):
                            if current:
                                covered[(spec, sid)][f"{rel}::{current}"] = current_xfail
                            elif python:
                                # Outside a test: a case table that this file's parametrized tests run,
                                # or, in a helper module, an assertion every test using it makes. No
                                # line number, so the document does not change with unrelated edits.
                                where = "(case table)" if name.startswith("test_") else "(shared assertion)"
                                covered[(spec, sid)][f"{rel}::{where}"] = False
                            else:
                                stray.append(f"{rel}:{lineno}: tag {spec}:{sid} is outside any test")
    return covered, stray
def build():
    statements = read_tsv(os.path.join(HERE, "statements.tsv"))
    dispositions_path = os.path.join(HERE, "dispositions.tsv")
    dispositions = {}
    if os.path.exists(dispositions_path):
        for row in read_tsv(dispositions_path):
            dispositions[(row["spec"], row["id"])] = row
    covered, stray = scan_tests()

    known = {(s["spec"], s["id"]) for s in statements}
    problems = list(stray)
    problems += [f"tag {spec}:{sid} names no statement" for (spec, sid) in covered if (spec, sid) not in known]
    for (spec, sid), row in dispositions.items():
        if (spec, sid) not in known:
            problems.append(f"disposition {spec}:{sid} names no statement")
        elif row["status"] not in ("n/a", "deferred"):
            problems.append(f"disposition {spec}:{sid} has status {row['status']!r}: use n/a or deferred")
        elif not row["reason"].strip():
            problems.append(f"disposition {spec}:{sid} gives no reason")
        elif (spec, sid) in covered:
            problems.append(f"{spec}:{sid} has both a test and a disposition: remove the disposition")

    rows = {"3.1.1": [], "5.0": []}
    counts = defaultdict(lambda: defaultdict(int))
    for s in statements:
        key = (s["spec"], s["id"])
        tests = covered.get(key, {})
        passing = sorted(t for t, xfail in tests.items() if not xfail)
        disp = dispositions.get(key)
        if passing:
            status = "tested"
            detail = "<br>".join(f"`{t}`" for t in passing)
        elif tests:
            # Only expected-failure tests: a known bug, which must not pass for coverage.
            status = "UNMARKED"
            detail = "only xfail tests: " + ", ".join(f"`{t}`" for t in sorted(tests))
            problems.append(f"{s['spec']}:{s['id']} is covered only by xfail tests (a known bug)")
        elif disp and disp["status"] in ("n/a", "deferred"):
            status = disp["status"]
            detail = disp["reason"]
        else:
            status = "UNMARKED"
            detail = ""
            problems.append(f"{s['spec']}:{s['id']} has no test, no n/a and no deferral")
        counts[s["spec"]][status] += 1
        summary = s["summary"].replace("|", "\\|")
        detail = detail.replace("|", "\\|")
        rows[s["spec"]].append(f"| {s['id']} | {s['side']} | {summary} | {status} | {detail} |")

    out = ["# MQTT compliance", "",
           "Generated by `tests/compliance/generate.py` from `tests/compliance/statements.tsv` (every",
           "normative statement of MQTT 3.1.1 and 5.0), the `3.1.1:MQTT-…` / `5.0:MQTT-…` tags in the tests,",
           "and `tests/compliance/dispositions.tsv` (statements that do not apply to a server, or are",
           "deferred, each with its reason). The test suite fails when this file is stale or when a",
           "statement is unmarked. Do not edit by hand: run `python3 tests/compliance/generate.py`.", "",
           "| spec | tested | n/a | deferred | unmarked |", "| --- | --- | --- | --- | --- |"]
    for spec in ("3.1.1", "5.0"):
        c = counts[spec]
        out.append(f"| {spec} | {c['tested']} | {c['n/a']} | {c['deferred']} | {c['UNMARKED']} |")
    for spec in ("3.1.1", "5.0"):
        out += ["", f"## MQTT {spec}", "", "| statement | side | requirement | status | test or reason |",
                "| --- | --- | --- | --- | --- |"] + rows[spec]
    return "\n".join(out) + "\n", problems


def main():
    text, problems = build()
    if "--check" in sys.argv:
        current = ""
        if os.path.exists(OUT):
            with open(OUT) as f:
                current = f.read()
        stale = current != text
        for p in problems:
            print("compliance:", p)
        if stale:
            print("compliance: docs/compliance.md is stale: run python3 tests/compliance/generate.py")
        ok = not stale and not problems
        print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
        return 0 if ok else 1
    with open(OUT, "w") as f:
        f.write(text)
    for p in problems:
        print("compliance:", p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
