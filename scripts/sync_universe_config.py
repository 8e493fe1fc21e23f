#!/usr/bin/env python3
"""Writes universe/config.json from the top-level config.json, the one source of the package
options. The copy is the same schema, reformatted canonically (2-space indent, ASCII only, as
Universe requires), so `diff` between the two only ever shows formatting.

    scripts/sync_universe_config.py           rewrite universe/config.json
    scripts/sync_universe_config.py --check   exit 1 if universe/config.json is stale
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "config.json"
TARGET = ROOT / "universe" / "config.json"


def rendered() -> str:
    schema = json.loads(SOURCE.read_text(encoding="utf-8"))
    return json.dumps(schema, indent=2, ensure_ascii=True) + "\n"


def main(argv: list[str]) -> int:
    text = rendered()
    if argv[1:] == ["--check"]:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.relative_to(ROOT)} is stale: run scripts/sync_universe_config.py", file=sys.stderr)
            return 1
        return 0
    if argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
