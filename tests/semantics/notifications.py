"""Someone hears of a failed execution and of an approval that waits: each pipeline has a
notification rule for failed executions with an SNS topic as its target, the topic's policy
lets the notifications service publish, and a production approval names the topic
(https://docs.aws.amazon.com/dtconsole/latest/userguide/notification-target-create.html,
https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-configure-notifications.html).
"""

from __future__ import annotations

from semantics.reading import cloudformation, module_folders, resources, terraform, text

FAILED = "codepipeline-pipeline-pipeline-execution-failed"
SERVICE = "codestar-notifications.amazonaws.com"
TEMPLATES = ("dev-pipeline.yaml", "prod-pipeline.yaml", "prod-native-pipeline.yaml")
FOLDERS = ("dev", "prod", "prod-native")
# The one copy of the rule and the topic policy the Terraform roots share; each root passes it
# its pipeline and topic.
MODULE = "modules/notifications"


def cfn_problems(name: str) -> list[str]:
    template = cloudformation(name)
    problems = []
    rules = resources(template, "AWS::CodeStarNotifications::NotificationRule").values()
    failed = [r for r in rules if FAILED in r["Properties"].get("EventTypeIds", [])]
    if not failed:
        problems.append(f"{name}: no notification rule for failed executions")
    for rule in failed:
        for target in rule["Properties"].get("Targets", []):
            topic = text(target.get("TargetAddress"))
            policies = [p for p in resources(template, "AWS::SNS::TopicPolicy").values() if topic in text(p["Properties"]["Topics"])]
            if not any(SERVICE in text(p) and "sns:Publish" in text(p) for p in policies):
                problems.append(f"{name}: the notifications service may not publish to {topic}")
    if name != "dev-pipeline.yaml":
        for pipeline in resources(template, "AWS::CodePipeline::Pipeline").values():
            approvals = [a for s in pipeline["Properties"]["Stages"] for a in s["Actions"] if a["ActionTypeId"]["Category"] == "Approval"]
            problems += [f"{name}: approval {a['Name']} names no topic" for a in approvals if "NotificationArn" not in a.get("Configuration", {})]
    return problems


def tf_problems(folder: str) -> list[str]:
    parsed = terraform(folder)
    calls = [parsed["module"][name] for name, module in module_folders(parsed).items() if module == MODULE]
    problems = []
    if len(calls) != 1 or any(parsed["resource"].get(kind) for kind in ("aws_codestarnotifications_notification_rule", "aws_sns_topic_policy")):
        problems.append(f"terraform/{folder}: the notification rule and topic policy are not one call of {MODULE}")
    if not any("aws_codepipeline." in text(call.get("pipeline_arn")) for call in calls):
        problems.append(f"terraform/{folder}: {MODULE} is not given this root's pipeline")
    module = terraform(MODULE)["resource"]
    rules = [r for r in module.get("aws_codestarnotifications_notification_rule", {}).values() if FAILED in text(r)]
    if not rules:
        problems.append(f"terraform/{MODULE}: no notification rule for failed executions")
    for rule in rules:
        topic = text(rule.get("target"))
        policies = [p for p in module.get("aws_sns_topic_policy", {}).values() if any(ref in topic for ref in refs(text(p.get("arn"))))]
        if not any(SERVICE in text(p) or "publish" in text(p) for p in policies):
            problems.append(f"terraform/{MODULE}: the notifications service may not publish to the rule's topic")
    if folder != "dev" and "NotificationArn" not in text(parsed["resource"].get("aws_codepipeline", {})):
        problems.append(f"terraform/{folder}: the approval names no topic")
    return problems


def refs(expression: str) -> list[str]:
    """`aws_sns_topic.x.arn` as it appears in another block."""
    return [part.split(".arn")[0] for part in expression.replace('"', " ").split() if ".arn" in part] or [expression]


def failures_and_waiting_approvals_are_notified() -> list[str]:
    problems = []
    for name in TEMPLATES:
        problems += cfn_problems(name)
    for folder in FOLDERS:
        problems += tf_problems(folder)
    return problems
