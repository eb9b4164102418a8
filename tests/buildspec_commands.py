"""Prints the commands of buildspecs as one bash script per file, for shellcheck.

Each phase's `commands` and `finally` become lines in order, so shellcheck sees the variables
that earlier commands set, as the build's shell does (buildspec version 0.2).
"""
import sys

import yaml

PHASES = ("install", "pre_build", "build", "post_build")

for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    print(f"# {path}")
    variables = (spec.get("env") or {}).get("variables") or {}
    for name, value in variables.items():
        print(f"export {name}={str(value)!r}")
    for phase in PHASES:
        body = (spec.get("phases") or {}).get(phase) or {}
        for key in ("commands", "finally"):
            for command in body.get(key) or []:
                print(command)
    # Exported variables are read after the build, by later pipeline actions.
    for name in (spec.get("env") or {}).get("exported-variables") or []:
        print(f': "${{{name}}}"')
