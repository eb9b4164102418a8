#!/usr/bin/env python3
"""Writes the README's performance table from benches/compare.sh's summary.

    python3 benches/readme-table.py [SUMMARY] [--label TEXT]

SUMMARY (target/bench/summary.txt by default) holds one MET or MISSED line per target, after a
`# <date> UTC, sections: <sections>` line. Each line becomes the table row of its target, its
`Measured` column naming the run it came from (the label, or the summary's first line). Rows of
targets the summary does not hold, from sections that run did not run, are kept as they are,
with the run they came from: the README is never edited by hand, and a partial run
(`BENCH_ONLY=...`) replaces only what it measured.
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = "<!-- performance table: written by benches/readme-table.py from benches/compare.sh -->"
END = "<!-- end of the performance table -->"
HEADER = ["Target", "Figure", "Result", "Measured"]
LINE = re.compile(r"^(MET|MISSED)\s+(?P<name>.+?): (?P<figure>.+)$")


def cells(row):
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def row(values):
    return "| " + " | ".join(value.replace("|", "\\|") for value in values) + " |"


def read_summary(path, label):
    """The rows of a summary, by target name."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if label is None:
        first = lines[0] if lines else ""
        if not first.startswith("# "):
            sys.exit(f"readme-table.py: {path} has no `# <date> UTC, sections: ...` first line; pass --label")
        label = first[2:]
    rows = {}
    for line in lines:
        match = LINE.match(line)
        if match:
            name = match["name"]
            rows[name] = [name, match["figure"], match[1], label]
    if not rows:
        sys.exit(f"readme-table.py: no MET or MISSED line in {path}")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("summary", nargs="?", default=ROOT / "target/bench/summary.txt", type=Path)
    parser.add_argument("--label", help="how the Measured column names this run")
    parser.add_argument("--readme", default=ROOT / "README.md", type=Path)
    args = parser.parse_args()

    text = args.readme.read_text(encoding="utf-8")
    if text.count(START) != 1 or text.count(END) != 1:
        sys.exit(f"readme-table.py: {args.readme} needs the lines `{START}` and `{END}` once each")
    before, rest = text.split(START + "\n", 1)
    table, after = rest.split(END, 1)
    kept = [cells(line) for line in table.splitlines()[2:] if line.startswith("|")]
    new = read_summary(args.summary, args.label)
    rows = [new.pop(old[0], old) for old in kept] + list(new.values())
    lines = [row(HEADER), row(["---"] * len(HEADER))] + [row(values) for values in rows]
    args.readme.write_text(before + START + "\n" + "\n".join(lines) + "\n" + END + after, encoding="utf-8")
    print(f"readme-table.py: {args.readme}: {len(rows)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
