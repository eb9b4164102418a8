"""Runs repository scanners on a generated monorepo and scores their SARIF against its planted
mistakes (benches/monorepo.py), for benches/compare.sh:

    python3 benches/scan.py TREE RUNS NAME SARIF COMMAND [NAME SARIF COMMAND ...]

Each COMMAND runs RUNS times (ten if it takes under a second) through `sh -c` in TREE and must
leave its SARIF report at SARIF.
One tab-separated line per scanner on stdout: name, median wall time in seconds, peak RSS in
KiB (the largest of the process and the processes it waited for, as GNU time reports it), planted
mistakes found, planted mistakes, image-tag findings on no planted line, and the kinds missed.

A planted mistake is found when the scanner reports an image-tag rule in its file, on a range
that holds its line. Other rules (a missing HEALTHCHECK, an unencrypted repository) are not
counted either way: they are not what the planted mistakes are about.
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time

# Rules about mutable or missing image tags, by scanner: ecs-tagcheck's own, hadolint's DL3006
# and DL3007 (https://github.com/hadolint/hadolint#rules), checkov's CKV_DOCKER_7, trivy's
# DS-0001 (named AVD-DS-0001 or DS001 in older releases).
TAG_RULES = {
    "latest-tag", "untagged-image", "latest-fallback", "denied-tag",
    "DL3006", "DL3007", "CKV_DOCKER_7", "DS-0001", "DS001", "AVD-DS-0001",
}


def run(tree, runs, command):
    walls, peak = [], 0
    # A scan under a second is noisy on a shared machine and cheap to repeat: ten runs at least.
    while len(walls) < runs or (len(walls) < 10 and statistics.median(walls) < 1):
        # GNU time starts the scan from a small process: a child forked from Python would
        # count Python's own memory in its peak.
        with tempfile.NamedTemporaryFile("r") as rss:
            start = time.perf_counter()
            status = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, "sh", "-c", command],
                                    cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    check=False).returncode
            walls.append(time.perf_counter() - start)
            peak = max(peak, int(rss.read().split()[-1]))
        # Scanners exit 1 when they find something, which they should here.
        if status not in (0, 1):
            sys.exit(f"scan.py: `{command}` failed with {status}")
    return statistics.median(walls), peak


def reported(sarif):
    """(path, first line, last line) of each image-tag finding in a SARIF file."""
    with open(sarif, encoding="utf-8") as source:
        document = json.load(source)
    for run_ in document.get("runs", []):
        for result in run_.get("results", []):
            if result.get("ruleId") not in TAG_RULES:
                continue
            for location in result.get("locations", []):
                physical = location.get("physicalLocation", {})
                path = physical.get("artifactLocation", {}).get("uri", "")
                path = path.removeprefix("file://").removeprefix("./").lstrip("/")
                region = physical.get("region", {})
                first = region.get("startLine", 0)
                yield path, first, region.get("endLine", first)


def score(planted, sarif):
    findings = list(reported(sarif))
    hits = set()
    missed = []
    for mistake in planted:
        matching = [i for i, (path, first, last) in enumerate(findings)
                    if path.endswith(mistake["path"]) and first <= mistake["line"] <= last]
        hits.update(matching)
        if not matching:
            missed.append(mistake["kind"])
    missed_kinds = sorted(set(missed), key=missed.index)
    return len(planted) - len(missed), len(findings) - len(hits), missed_kinds


def main():
    tree, runs = sys.argv[1], int(sys.argv[2])
    with open(tree.rstrip("/") + ".planted.json", encoding="utf-8") as source:
        planted = json.load(source)
    tools = sys.argv[3:]
    for at in range(0, len(tools), 3):
        name, sarif, command = tools[at:at + 3]
        wall, peak = run(tree, runs, command)
        found, extra, missed = score(planted, sarif)
        print(f"{name}\t{wall:.4f}\t{peak}\t{found}\t{len(planted)}\t{extra}\t{','.join(missed) or '-'}",
              flush=True)


if __name__ == "__main__":
    main()
