"""A test stage in dev before anything is promoted: after the dev deploy, a CodeBuild action
checks that the dev service runs the build's digest after a completed deployment and calls the
service's health endpoint; the promotion then takes only the digest that action passed (it
reads the test's exported variable, https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html)
and refuses any other. Stages of one execution run in order and a failed stage stops it
(https://docs.aws.amazon.com/codepipeline/latest/userguide/concepts.html), so the Promote stage
is reached only through a passed test.
"""

from __future__ import annotations

from semantics.reading import buildspec, cloudformation, commands, listed, one, resources, terraform, text

TESTED = "#{TestVariables.TESTED_IMAGE_URI}"


def stage_kinds(stages: list[dict], provider, project, configuration) -> list[tuple[str, str, str]]:
    """(stage name, provider of its first action, the text of the action's configuration)."""
    kinds = []
    for stage in stages:
        actions = listed(stage.get("Actions", stage.get("action", [])))
        first = one(actions[0]) if actions else {}
        kinds.append((str(one(stage.get("Name", stage.get("name")))), provider(first), project(first) + configuration(first)))
    return kinds


def order_problems(where: str, kinds: list[tuple[str, str, str]]) -> list[str]:
    names = [name for name, _, _ in kinds]
    providers = [provider for _, provider, _ in kinds]
    if "ECS" not in providers or "Promote" not in names:
        return [f"{where}: no ECS deploy or no Promote stage"]
    deploy, promote = providers.index("ECS"), names.index("Promote")
    between = [kind for kind in kinds[deploy + 1 : promote] if kind[1] == "CodeBuild"]
    problems = []
    if not between:
        problems.append(f"{where}: no CodeBuild test stage between the dev deploy and Promote")
    elif not any("test" in configuration for _, _, configuration in between):
        problems.append(f"{where}: the stage between the dev deploy and Promote runs no test project")
    if TESTED not in kinds[promote][2]:
        problems.append(f"{where}: Promote is not given the digest the test passed ({TESTED})")
    return problems


def cfn_stages() -> list[str]:
    template = cloudformation("dev-pipeline.yaml")
    problems = []
    for pipeline in resources(template, "AWS::CodePipeline::Pipeline").values():
        kinds = stage_kinds(
            pipeline["Properties"]["Stages"],
            lambda action: action.get("ActionTypeId", {}).get("Provider", ""),
            lambda action: text(action.get("Configuration", {}).get("ProjectName", "")).lower(),
            lambda action: text(action.get("Configuration", {})),
        )
        problems += order_problems("dev-pipeline.yaml", kinds)
    return problems


def tf_stages() -> list[str]:
    problems = []
    for pipeline in terraform("dev")["resource"].get("aws_codepipeline", {}).values():
        kinds = stage_kinds(
            listed(pipeline.get("stage", [])),
            lambda action: str(one(action.get("provider", ""))),
            lambda action: text(one(action.get("configuration", {})).get("ProjectName", "")).lower(),
            lambda action: text(one(action.get("configuration", {}))),
        )
        problems += order_problems("terraform/dev", kinds)
    return problems


def a_test_stage_guards_the_promotion() -> list[str]:
    """Dev deploy, then a test action, then Promote with the tested digest; the test buildspec
    waits for the dev service to run the digest and calls its health endpoint; the promotion
    refuses a digest other than the tested one."""
    problems = cfn_stages() + tf_stages()
    try:
        test = "\n".join(commands(buildspec("dev-test.yml")))
    except FileNotFoundError:
        test = ""
        problems.append("buildspecs/dev-test.yml: there is no dev test buildspec")
    if test and ("describe-services" not in test or "curl" not in test or "TEST_URL" not in test):
        problems.append("buildspecs/dev-test.yml: does not check the digest the dev service runs and call TEST_URL")
    promote = buildspec("promote.yml")
    if not any("TESTED_IMAGE_URI" in command and "IMAGE_URI" in command for command in commands(promote)):
        problems.append("buildspecs/promote.yml: promotes a digest without comparing it with TESTED_IMAGE_URI")
    if test and "TESTED_IMAGE_URI" not in buildspec("dev-test.yml").get("env", {}).get("exported-variables", []):
        problems.append("buildspecs/dev-test.yml: does not export TESTED_IMAGE_URI")
    return problems
