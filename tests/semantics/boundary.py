"""The promotion trust boundary: what the privileged CodeBuild projects run comes from the
stack, not from a branch developers push to.

The promote project's role may assume the production PromotionRole, the prod render project
writes what production deploys, and the scaling project suspends production's autoscaling. A
buildspec read from the pipeline's source (`Source.BuildSpec: buildspecs/NAME.yml`) is whatever
the last push to that branch says, and so is a script the buildspec runs from the source
(https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec-ref-name-storage).
So each privileged project carries its buildspec inline (CloudFormation `Source.BuildSpec`,
Terraform `file()` of the platform's checkout at apply time), the same document as
`buildspecs/NAME.yml`, and that buildspec runs nothing from its input artifacts.
"""

from __future__ import annotations

import re

import yaml

from semantics.reading import BUILDSPECS, TF, buildspec, cloudformation, commands, one, terraform, text

# (template, project, buildspec file)
CLOUDFORMATION = [
    ("dev-pipeline.yaml", "TestProject", "dev-test.yml"),
    ("dev-pipeline.yaml", "PromoteProject", "promote.yml"),
    ("prod-pipeline.yaml", "RenderProject", "prod-artifacts.yml"),
    ("prod-pipeline.yaml", "ScalingProject", "scaling.yml"),
    ("prod-native-pipeline.yaml", "RenderProject", "prod-native.yml"),
    ("prod-native-pipeline.yaml", "DeployProject", "prod-native-deploy.yml"),
]
# (root, module, buildspec file)
TERRAFORM = [
    ("dev", "test", "dev-test.yml"),
    ("dev", "promote", "promote.yml"),
    ("prod", "render", "prod-artifacts.yml"),
    ("prod", "scaling", "scaling.yml"),
    ("prod-native", "render", "prod-native.yml"),
    ("prod-native", "deploy", "prod-native-deploy.yml"),
]
# A command that runs a file of the source or of another input artifact.
RUNS_A_SOURCE_FILE = re.compile(r"(^|[\s;&|(])(bash|sh|source|\.)\s+[^-\s]|buildspecs/|CODEBUILD_SRC_DIR[^\s\"']*\.(sh|py)\b")


def privileged_buildspecs_come_from_the_stack() -> list[str]:
    """Each privileged project's buildspec is inline in the template, the document of
    `buildspecs/NAME.yml`, and runs no file of its inputs."""
    problems = []
    for name, project, file in CLOUDFORMATION:
        source = cloudformation(name)["Resources"][project]["Properties"]["Source"]
        inline = source.get("BuildSpec")
        if not (isinstance(inline, str) and "\n" in inline):
            problems.append(f"{name}: {project} reads its buildspec from its source ({text(inline)}), not inline")
        elif yaml.safe_load(inline) != buildspec(file):
            problems.append(f"{name}: {project}'s inline buildspec is not buildspecs/{file}")
    for folder, module, file in TERRAFORM:
        given = text(one(terraform(folder)["module"][module].get("buildspec")))
        if not re.search(rf"file\(.*buildspecs/{re.escape(file)}", given):
            problems.append(f"terraform/{folder}: module.{module} reads its buildspec from its source ({given}), not file()")
    for file in sorted({file for _, _, file in CLOUDFORMATION}):
        problems += [
            f"buildspecs/{file}: runs a file of its inputs: {command.splitlines()[0]}"
            for command in commands(buildspec(file))
            if RUNS_A_SOURCE_FILE.search(command)
        ]
    return problems


def terraform_reads_the_buildspecs_it_names() -> list[str]:
    """The `file()` paths of the Terraform roots lead to `buildspecs/`."""
    problems = []
    for folder, module, file in TERRAFORM:
        given = str(one(terraform(folder)["module"][module].get("buildspec")))
        match = re.search(r'file\("\$\{path\.module\}/([^"]+)"\)', given)
        if match and not (TF / folder / match.group(1)).resolve() == (BUILDSPECS / file).resolve():
            problems.append(f"terraform/{folder}: module.{module} reads {match.group(1)}, not buildspecs/{file}")
    return problems
