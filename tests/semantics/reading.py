"""Reading the model pipelines: CloudFormation through cfn-lint's own YAML reader (the tags
become their long forms), Terraform through python-hcl2, buildspecs as YAML."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import hcl2
import yaml
from cfnlint.decode import decode

# The repository root: the first argument of tests/template_semantics.py, or this file's.
ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2])
CFN = ROOT / "pipeline-templates" / "cloudformation"
TF = ROOT / "pipeline-templates" / "terraform"
BUILDSPECS = ROOT / "buildspecs"


def cloudformation(name: str) -> dict:
    template, matches = decode(str(CFN / name))
    if template is None:
        raise SystemExit(f"error: cannot read {CFN / name}: {matches}")
    return template


def terraform(folder: str) -> dict:
    """Every block of a Terraform root (or module) folder: {kind: {type: {name: body}}}."""
    merged: dict = {"resource": {}, "data": {}, "variable": {}, "module": {}, "locals": {}}
    for path in sorted((TF / folder).glob("*.tf")):
        with path.open(encoding="utf-8") as file:
            parsed = hcl2.load(file)
        for kind in ("resource", "data"):
            for block in parsed.get(kind, []):
                for type_, named in block.items():
                    merged[kind].setdefault(type_, {}).update(named)
        for kind in ("variable", "module"):
            for block in parsed.get(kind, []):
                merged[kind].update(block)
        for block in parsed.get("locals", []):
            merged["locals"].update(block)
    return merged


def module_folders(root: dict) -> dict[str, str]:
    """The local modules a root calls: {module name: folder under pipeline-templates/terraform}."""
    return {
        name: str(one(body["source"])).removeprefix("../")
        for name, body in root["module"].items()
        if str(one(body.get("source", ""))).startswith("../modules/")
    }


def one(value):
    """python-hcl2 wraps attribute values and blocks in lists."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def default(variables: dict, name: str):
    return one(variables[name].get("default"))


def resources(template: dict, type_: str) -> dict:
    return {k: v for k, v in template["Resources"].items() if v.get("Type") == type_}


def parameter(template: dict, value):
    """A literal, or the default of the parameter a `Ref` names."""
    if isinstance(value, dict) and set(value) == {"Ref"}:
        return template.get("Parameters", {}).get(value["Ref"], {}).get("Default")
    return value


def text(value) -> str:
    return json.dumps(value, sort_keys=True)


def listed(value) -> list:
    return value if isinstance(value, list) else [value]


def buildspec(name: str) -> dict:
    return yaml.safe_load((BUILDSPECS / name).read_text(encoding="utf-8"))


def commands(spec: dict) -> list[str]:
    return [c for phase in spec.get("phases", {}).values() for c in phase.get("commands", [])]
