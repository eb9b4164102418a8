"""The aws provider floor of every Terraform root and module admits no release that lacks an
argument the templates use: an older provider stops `terraform validate` (or `plan`, where
validate is not run) with an unsupported-argument error."""

from __future__ import annotations

import re

import hcl2

from semantics.reading import TF, one

# (what a template writes, the first provider release whose schema has it, its CHANGELOG entry).
ARGUMENTS = [
    (r"data\s+\"aws_region\"[\s\S]*?\.region\b", (6, 0, 0), "data.aws_region `region` (6.0.0, #42131)"),
    (r"\bstrategy\s*=", (6, 4, 0), "aws_ecs_service deployment_configuration `strategy` (6.4.0, #43434)"),
    (r"IMMUTABLE_WITH_EXCLUSION", (6, 8, 0), "aws_ecr_repository IMMUTABLE_WITH_EXCLUSION (6.8.0, #43642)"),
    # https://github.com/hashicorp/terraform-provider-aws/releases/tag/v6.66.0
    (r"\btimeout_configuration\s*\{", (6, 66, 0), "aws_ecs_service lifecycle_hook `timeout_configuration` (6.66.0, #48128)"),
]


def floor(constraint: str) -> tuple[int, ...] | None:
    match = re.search(r">=\s*(\d+)\.(\d+)\.(\d+)", constraint)
    return tuple(int(part) for part in match.groups()) if match else None


def the_provider_floor_has_every_argument() -> list[str]:
    """Every folder with a `versions.tf` pins the aws provider at or above the first release
    with each argument the Terraform templates use, one floor for all of them."""
    sources = "\n".join(path.read_text(encoding="utf-8") for path in sorted(TF.glob("**/*.tf")))
    needed = [(version, name) for pattern, version, name in ARGUMENTS if re.search(pattern, sources)]
    problems = []
    folders = sorted(path.parent for path in TF.glob("**/versions.tf"))
    if not folders:
        return [f"no versions.tf under {TF}"]
    for folder in folders:
        with (folder / "versions.tf").open(encoding="utf-8") as file:
            parsed = hcl2.load(file)
        providers = {}
        for block in parsed.get("terraform", []):
            for required in block.get("required_providers", []):
                providers.update(one(required))
        constraint = str(one(providers.get("aws", {})).get("version", "")) if "aws" in providers else ""
        have = floor(constraint)
        name = folder.relative_to(TF)
        if have is None:
            problems.append(f"terraform/{name}: no lower bound on hashicorp/aws ({constraint!r})")
            continue
        for version, argument in needed:
            if have < version:
                problems.append(f"terraform/{name}: hashicorp/aws {constraint} admits {'.'.join(map(str, have))}, which lacks {argument}")
    return problems
