"""The policy evaluator (`evaluator.py`) held to the examples of AWS's IAM documentation, so the
permission checks rest on a judge that is itself checked."""

from __future__ import annotations

from semantics.evaluator import ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY, UNDECIDED, decide

ANY = "*"
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html
GET_LIST_NO_REPORTS = [
    {"Sid": "AllowGetList", "Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"},
    {"Sid": "DenyReports", "Effect": "Deny", "Action": "iam:*Report", "Resource": "*"},
]
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
ALL_BUT_IAM = [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]
DENY_ALL_BUT_IAM_WITHOUT_MFA = [
    {"Effect": "Allow", "Action": "*", "Resource": "*"},
    {
        "Effect": "Deny",
        "NotAction": "iam:*",
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    },
]
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards
WILDCARDS = [
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/ECSTaskExecution*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::amzn-s3-demo.bucket/log-????.txt"]},
]
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
PASS_TO_ECS = [
    {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "*",
        "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
    },
]
PASS_LIKE_ECS = [{**PASS_TO_ECS[0], "Condition": {"StringLike": {"iam:PassedToService": "ecs-tasks.*"}}}]
ROLE = "arn:aws:iam::123456789012:role/{}"
TO_ECS = {"iam:PassedToService": "ecs-tasks.amazonaws.com"}

# (policy, action, resource, request context, AWS's decision)
EXAMPLES = [
    (GET_LIST_NO_REPORTS, "iam:GetUser", ANY, {}, ALLOWED),
    (GET_LIST_NO_REPORTS, "IAM:listroles", ANY, {}, ALLOWED),
    (GET_LIST_NO_REPORTS, "iam:CreatePolicy", ANY, {}, IMPLICIT_DENY),
    (GET_LIST_NO_REPORTS, "iam:GetOrganizationsAccessReport", ANY, {}, EXPLICIT_DENY),
    (GET_LIST_NO_REPORTS, "iam:GenerateCredentialReport", ANY, {}, EXPLICIT_DENY),
    (ALL_BUT_IAM, "s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", {}, ALLOWED),
    (ALL_BUT_IAM, "iam:CreateUser", ANY, {}, IMPLICIT_DENY),
    (DENY_ALL_BUT_IAM_WITHOUT_MFA, "iam:ListUsers", ANY, {}, ALLOWED),
    (DENY_ALL_BUT_IAM_WITHOUT_MFA, "s3:GetObject", ANY, {}, UNDECIDED),
    (WILDCARDS, "iam:PassRole", ROLE.format("ECSTaskExecutionRole"), {}, ALLOWED),
    (WILDCARDS, "iam:PassRole", ROLE.format("web-service-execution"), {}, IMPLICIT_DENY),
    (WILDCARDS, "s3:GetObject", "arn:aws:s3:::amzn-s3-demo.bucket/log-2024.txt", {}, ALLOWED),
    (WILDCARDS, "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/log-2024.txt", {}, IMPLICIT_DENY),
    (WILDCARDS, "s3:GetObject", "arn:aws:s3:::amzn-s3-demo.bucket/log-24.txt", {}, IMPLICIT_DENY),
    (PASS_TO_ECS, "iam:PassRole", ROLE.format("web-task"), TO_ECS, ALLOWED),
    (PASS_TO_ECS, "iam:PassRole", ROLE.format("web-task"), {"iam:PassedToService": "lambda.amazonaws.com"}, IMPLICIT_DENY),
    (PASS_TO_ECS, "iam:PassRole", ROLE.format("web-task"), {}, UNDECIDED),
    (PASS_LIKE_ECS, "iam:PassRole", ROLE.format("web-task"), TO_ECS, UNDECIDED),
    ([{"Effect": "Allow", "Action": "ecs:*", "NotResource": "arn:aws:ecs:*:*:cluster/prod"}], "ecs:ListServices", ANY, {}, UNDECIDED),
]


def the_evaluator_decides_aws_examples() -> list[str]:
    """The evaluator gives AWS's documented decision on each example, and says `undecided` where
    it cannot know (a condition operator moto does not evaluate, a key the request lacks)."""
    problems = []
    for policy, action, resource, context, expected in EXAMPLES:
        got = decide(policy, action, resource, context)
        if got != expected:
            sids = ", ".join(s.get("Sid", s["Effect"]) for s in policy)
            problems.append(f"{action} on {resource} with {context or 'no context'} ({sids}): {got}, AWS: {expected}")
    return problems
