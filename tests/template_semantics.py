#!/usr/bin/env python3
"""The model pipelines held against what AWS does with them, not only against their shape.

cfn-lint, checkov and `ecs-verify pipeline-template` check that pipeline-templates/ and
buildspecs/ are well formed (and `ecs-verify` what a stack update does to the ECS services);
each check here is one AWS behaviour that a well-formed template can still get wrong, with the
documentation it rests on (tests/semantics/). Both variants are read where both exist:
CloudFormation through cfn-lint's own YAML reader, Terraform through python-hcl2 (no
`terraform` binary is needed; tests/lint.sh runs `terraform fmt -check` when one is on PATH).

    template_semantics.py [REPOSITORY_ROOT]

Prints one line per check and closes with `N passed, N failed`. Exit 0 when every check
passes, 1 when one fails, 2 when a file cannot be read. Needs cfn-lint, python-hcl2, moto (its
IAM policy evaluation) and parliament (tests/requirements-lint.txt).
"""

from __future__ import annotations

import sys

try:
    import hcl2  # noqa: F401 - checked here so that a missing package is one clear error
    import moto.iam.access_control  # noqa: F401
    import parliament  # noqa: F401
    from cfnlint.decode import decode  # noqa: F401
except ImportError:  # pragma: no cover - depends on the environment
    sys.stderr.write("error: cfn-lint, python-hcl2, moto and parliament are needed (help: tests/lint.sh installs them)\n")
    sys.exit(2)

from semantics import boundary, buildrole, checks, commit, devconfig, devtest, evaluator_examples, managed, nativeconfig, notifications, pipelinerole, policies, provider, prune, roles, scaling, variants

CHECKS = [
    evaluator_examples.the_evaluator_decides_aws_examples,
    *checks.ALL,
    managed.every_attached_managed_policy_is_recorded,
    roles.service_roles_may_make_their_calls,
    pipelinerole.pipeline_roles_hold_the_ecs_writes_they_use,
    policies.parliament_finds_no_unknown_actions_or_resource_mismatches,
    boundary.privileged_buildspecs_come_from_the_stack,
    boundary.terraform_reads_the_buildspecs_it_names,
    commit.prod_renders_the_configuration_of_the_images_commit,
    devconfig.dev_deploys_the_task_definition_template,
    nativeconfig.prod_native_deploys_the_configuration_of_the_images_commit,
    devtest.a_test_stage_guards_the_promotion,
    notifications.failures_and_waiting_approvals_are_notified,
    variants.the_variants_agree,
    provider.the_provider_floor_has_every_argument,
    scaling.scaling_resumes_once_traffic_has_shifted,
    prune.rejected_revisions_are_pruned,
    buildrole.build_roles_read_what_the_live_check_reads,
]


def main() -> int:
    passed = failed = 0
    for check in CHECKS:
        problems = check()
        if problems:
            failed += 1
            print(f"FAIL {check.__name__}")
            for problem in problems:
                print(f"  {problem}")
        else:
            passed += 1
            print(f"ok   {check.__name__}")
    print(f"template semantics: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
