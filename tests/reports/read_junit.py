"""Reads JUnit XML reports with junitparser, an independent JUnit reader, and prints what it
read as JSON: for each file, its test cases with their suite, class name, name and results.

    python3 tests/reports/read_junit.py REPORT.xml...

Used by tests/reports/judges.rs; tests/run.sh installs junitparser into .venv.
"""

import json
import sys

from junitparser import JUnitXml, TestSuite


def cases(path):
    xml = JUnitXml.fromfile(path)
    suites = [xml] if isinstance(xml, TestSuite) else list(xml)
    found = []
    for suite in suites:
        for case in suite:
            found.append(
                {
                    "suite": suite.name,
                    "classname": case.classname,
                    "name": case.name,
                    "time": case.time,
                    "results": [
                        {
                            "kind": type(result).__name__.lower(),
                            "type": result.type,
                            "message": result.message,
                            "text": result.text,
                        }
                        for result in case.result
                    ],
                    "system_out": case.system_out,
                }
            )
    return found


json.dump({path: cases(path) for path in sys.argv[1:]}, sys.stdout)
