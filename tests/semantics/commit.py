"""The promoted image deployed with its own configuration: the prod render step checks out the
commit the image was built from (the dev build tags every image with it) instead of rendering
the release branch's head, and the approver is shown that commit.

A checkout needs the repository's history, which the Config source action hands over only as a
clone reference (`OutputArtifactFormat: CODEBUILD_CLONE_REF`, for which the CodeBuild role needs
`codeconnections:UseConnection`,
https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html).
"""

from __future__ import annotations

import re

from semantics.iam import allows, cfn_role_statements
from semantics.reading import buildspec, cloudformation, commands, one, resources, terraform, text

TEMPLATES = {"prod-pipeline.yaml": "prod-artifacts.yml", "prod-native-pipeline.yaml": "prod-native.yml"}
FOLDERS = ("prod", "prod-native")
CONNECTION = "arn:aws:codeconnections:us-east-1:123456789012:connection/0123456789ab"
SHOWN = "#{RenderVariables.CONFIG_COMMIT}"


def config_actions(stages) -> list[dict]:
    return [
        action
        for stage in stages
        for action in stage.get("Actions", [])
        if action.get("ActionTypeId", {}).get("Provider") == "CodeStarSourceConnection"
    ]


def prod_renders_the_configuration_of_the_images_commit() -> list[str]:
    """The Config source is a clone, the render role may use the connection, the render
    buildspec checks out the image's commit and exports it, and the approval shows it."""
    problems = []
    for name, file in TEMPLATES.items():
        template = cloudformation(name)
        for pipeline in resources(template, "AWS::CodePipeline::Pipeline").values():
            for action in config_actions(pipeline["Properties"]["Stages"]):
                if action["Configuration"].get("OutputArtifactFormat") != "CODEBUILD_CLONE_REF":
                    problems.append(f"{name}: the Config source hands over a zip, not a clone of the history")
            if SHOWN not in text(pipeline):
                problems.append(f"{name}: the approval does not show {SHOWN}")
        statements = cfn_role_statements(template, "RenderRole")
        for action in ("codeconnections:UseConnection", "codestar-connections:UseConnection"):
            if not allows(statements, action, CONNECTION, {'"Ref": "ConnectionArn"'}):
                problems.append(f"{name}: RenderRole may not {action} on the Config connection")
        spec = buildspec(file)
        run = "\n".join(commands(spec))
        if not re.search(r"git\b.*checkout\b.*\$IMAGE_COMMIT", run) or "ImageTags" not in run:
            problems.append(f"buildspecs/{file}: does not check out the commit the image was built from")
        if "CONFIG_COMMIT" not in spec.get("env", {}).get("exported-variables", []):
            problems.append(f"buildspecs/{file}: does not export CONFIG_COMMIT")
    for folder in FOLDERS:
        shown = text(terraform(folder)["resource"].get("aws_codepipeline", {}))
        if '"OutputArtifactFormat": "CODEBUILD_CLONE_REF"' not in shown:
            problems.append(f"terraform/{folder}: the Config source hands over a zip, not a clone of the history")
        if SHOWN not in shown:
            problems.append(f"terraform/{folder}: the approval does not show {SHOWN}")
        render = text(one(terraform(folder)["data"]["aws_iam_policy_document"].get("render", {})))
        if "UseConnection" not in render:
            problems.append(f"terraform/{folder}: the render role may not use the Config connection")
    return problems
