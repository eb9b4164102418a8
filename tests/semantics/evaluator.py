"""Identity-policy evaluation by moto's IAM access control (`moto.iam.access_control`), with
the decision AWS documents: an explicit deny wins, then an allow, else the request is implicitly
denied (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).

moto decides, per statement, whether its Action or NotAction and its Resource cover a request,
and evaluates `StringEquals` conditions. What it cannot decide is reported as undecided, never
as allowed: a condition with another operator, a condition key the request context does not
give, a `NotResource` element, a resource the template leaves to another resource's attribute.
`evaluator_examples.py` holds this wiring to AWS's documented examples.
"""

from __future__ import annotations

import re

from moto.iam.access_control import IAMPolicyStatement, PermissionResult

ALLOWED = "allowed"
EXPLICIT_DENY = "explicitly denied"
IMPLICIT_DENY = "implicitly denied"
UNDECIDED = "undecided"
# The condition operators moto evaluates (moto/iam/policy_conditions.py).
DECIDED_OPERATORS = {"StringEquals"}
# A resource the template does not spell out: it matches no request, and a statement that would
# otherwise apply is undecided.
UNRESOLVED = "unresolved:"


class Statement(IAMPolicyStatement):
    """moto's statement with AWS's wildcard matching: moto turns `*` into `.*` without escaping
    the rest, so `.` matched any character and `?` was a regex quantifier
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards)."""

    @staticmethod
    def _match(pattern: str, string: str) -> re.Match[str] | None:
        regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
        return re.fullmatch(regex, string, flags=re.DOTALL)


def _lowered(statement: dict) -> dict:
    """Action names are case-insensitive in AWS and case-sensitive in moto."""
    out = {k: v for k, v in statement.items() if k != "Condition"}
    for key in ("Action", "NotAction"):
        if key in out:
            values = out[key] if isinstance(out[key], list) else [out[key]]
            out[key] = [str(v).lower() for v in values]
    if "Resource" in out and not isinstance(out["Resource"], list):
        out["Resource"] = [out["Resource"]]
    return out


def _condition_holds(condition: dict, context: dict[str, str]) -> bool | None:
    """True or False as moto evaluates it; None when moto cannot decide it."""
    for operator, keys in condition.items():
        if operator not in DECIDED_OPERATORS:
            return None
        if any(key not in context for key in keys):
            return None
    probe = Statement({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": condition})
    return probe.is_action_permitted("probe", "*", None, context) == PermissionResult.PERMITTED


def statement_applies(statement: dict, action: str, resource: str, context: dict[str, str]) -> bool | None:
    """Whether the statement covers the request: True, False, or None when undecided."""
    body = _lowered(statement)
    if "NotResource" in body:
        body = {**body, "Resource": ["*"]}
        del body["NotResource"]
        covered = Statement({**body, "Effect": "Allow"}).is_action_permitted(action.lower(), resource)
        return None if covered == PermissionResult.PERMITTED else False
    covered = Statement({**body, "Effect": "Allow"}).is_action_permitted(action.lower(), resource)
    if covered != PermissionResult.PERMITTED:
        unresolved = [r for r in body.get("Resource", []) if str(r).startswith(UNRESOLVED)]
        if not unresolved:
            return False
        wildcard = Statement({**body, "Effect": "Allow", "Resource": ["*"]})
        return None if wildcard.is_action_permitted(action.lower(), resource) == PermissionResult.PERMITTED else False
    if "Condition" not in statement:
        return True
    return _condition_holds(statement["Condition"], context)


def decide(statements: list[dict], action: str, resource: str, context: dict[str, str] | None = None) -> str:
    """AWS's decision for one request against the identity policies' statements."""
    context = context or {}
    allowed = undecided_allow = undecided_deny = False
    for statement in statements:
        applies = statement_applies(statement, action, resource, context)
        deny = statement.get("Effect") == "Deny"
        if applies and deny:
            return EXPLICIT_DENY
        if applies is None:
            undecided_deny |= deny
            undecided_allow |= not deny
        elif applies:
            allowed = True
    if undecided_deny or (undecided_allow and not allowed):
        return UNDECIDED
    return ALLOWED if allowed else IMPLICIT_DENY
