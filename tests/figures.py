#!/usr/bin/env python3
"""The reliability figures of one test run, and docs/reliability.md brought up to date with them.

    tests/figures.py FIGURES              print the figures: one line each, the fault runs summed
    tests/figures.py FIGURES --update DOC  also write them into DOC

The tests append one line per figure to FIGURES (tests/support/harness.rs `figure`). In DOC each
figure is quoted in backticks; a quoted figure is replaced by this run's line of the same shape
(the same words with other numbers), so the page always shows the last full run. A figure with
no place in DOC is named, and the exit status is 1.
"""

import re
import sys
from pathlib import Path

NUMBER = re.compile(r"\d[\d,]*")


def shape(line: str) -> str:
    """The line with every number replaced: two runs' lines of one figure share it."""
    return NUMBER.sub("#", line)


def figures(path: Path) -> list[str]:
    """Every figure of the run, the `faults:` lines summed into one."""
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    faults = [line for line in lines if line.startswith("faults: ")]
    shown = sorted(line for line in lines if not line.startswith("faults: "))
    if faults:
        retried = sum("-> retried, ok" in line for line in faults)
        gave_up = sum("-> gave up, exit 2" in line for line in faults)
        shown.append(
            f"faults: {len(faults)} runs, {retried} transient retried and done, "
            f"{gave_up} persistent ended with exit 2"
        )
    return shown


def update(doc: Path, lines: list[str]) -> list[str]:
    """Writes `lines` over the quoted figures of the same shape in `doc`; returns the lines that
    have no place there."""
    text = doc.read_text()
    by_shape = {shape(line): line for line in lines}
    placed = set()

    def replace(match: re.Match) -> str:
        quoted = match.group(1)
        line = by_shape.get(shape(quoted))
        if line is None:
            return match.group(0)
        placed.add(line)
        return f"`{line}`"

    new = re.sub(r"`([^`\n]+)`", replace, text)
    if new != text:
        doc.write_text(new)
    return [line for line in lines if line not in placed]


def main() -> int:
    if len(sys.argv) not in (2, 4) or (len(sys.argv) == 4 and sys.argv[2] != "--update"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    lines = figures(Path(sys.argv[1]))
    print("\n".join(lines))
    if len(sys.argv) == 4:
        missing = update(Path(sys.argv[3]), lines)
        for line in missing:
            print(f"{sys.argv[3]}: no place for the figure `{line}`", file=sys.stderr)
        return 1 if missing else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
