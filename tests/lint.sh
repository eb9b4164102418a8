#!/usr/bin/env bash
# Lints the model pipelines with independent tools, then with the project's own checks:
#   cfn-lint and checkov on the CloudFormation templates, checkov on Terraform and the GitHub
#   Actions workflows, zizmor and the GitHub workflow schema on the workflows, python-hcl2 on
#   the lifecycle rules of the Terraform ECS services, `terraform fmt -check` (where terraform
#   is installed), what AWS does with the templates (tests/template_semantics.py: moto decides the
#   IAM policies, Parliament reads them), yamllint
#   and shellcheck on the buildspecs and their scripts; then `ecs-tagcheck` and `ecs-verify pipeline-template`
#   (the programs in ECS_DEPLOY_KIT_BIN when it is set, else `cargo run`).
# Keeps the pinned tools of tests/requirements-lint.txt in .venv-lint. Exit status: 0 clean.
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$root"
# A worktree may link .venv-lint to a shared one: `venv --clear` refuses a link, so use its target.
venv=$(readlink -f -- "$root/.venv-lint")
requirements=tests/requirements-lint.txt

say() { printf 'tests/lint.sh: %s\n' "$*" >&2; }

if [[ ! -x $venv/bin/python ]] || ! cmp -s "$requirements" "$venv/requirements-lint.txt"; then
    say "installing the linters of $requirements into .venv-lint"
    python3 -m venv --clear "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements-lint.txt"
fi
bin=$venv/bin

templates=pipeline-templates
say "cfn-lint"
"$bin/cfn-lint" "$templates"/cloudformation/*.yaml
say "checkov"
# checkov stops resolving module references after a few passes; the Terraform roots chain
# modules deeper than that (pipeline-templates/terraform/README.md).
RENDER_EDGES_DUPLICATE_ITER_COUNT=50 \
    "$bin/checkov" --quiet --compact --skip-download -d "$templates" --framework cloudformation terraform
# checkov reads workflows only under .github/workflows/: check a copy laid out that way.
workflows=$(mktemp -d)
trap 'rm -rf "$workflows"' EXIT
mkdir -p "$workflows/.github/workflows"
cp "$templates"/github-actions/*.yml "$workflows/.github/workflows/"
"$bin/checkov" --quiet --compact --skip-download -d "$workflows" --framework github_actions
say "zizmor and the GitHub workflow schema"
"$bin/zizmor" --offline "$templates"/github-actions/*.yml
"$bin/check-jsonschema" --builtin-schema vendor.github-workflows "$templates"/github-actions/*.yml
say "Terraform lifecycle rules"
"$bin/python" "$templates/terraform/check_lifecycle.py" "$templates/terraform"
say "Terraform formatting"
# terraform is not a package of the registries CI reaches, so formatting is checked where a
# terraform binary is installed; HCL parsing runs everywhere (tests/template_semantics.py).
if command -v terraform > /dev/null; then
    TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -recursive -diff "$templates/terraform"
else
    say "terraform is not installed: \`terraform fmt -check\` skipped"
fi
say "template semantics"
"$bin/python" tests/template_semantics.py
say "yamllint and shellcheck"
"$bin/yamllint" --strict -c tests/yamllint.yml buildspecs "$templates"
for buildspec in buildspecs/*.yml; do
    "$bin/python" tests/buildspec_commands.py "$buildspec" | "$bin/shellcheck" --shell=bash -
done
"$bin/shellcheck" -x buildspecs/*.sh tests/*.sh tests/fixtures/codebuild/docker .ci/run \
    examples/web-service/*.sh benches/*.sh scripts/*.sh

say "ecs-tagcheck and ecs-verify pipeline-template"
# The release programs when given (.ci/run has built them, ECS_DEPLOY_KIT_BIN=target/dist/bin);
# otherwise a debug build, whose dependencies' features differ from the tests' and so build
# the AWS SDK once more (docs/performance.md, "The release build").
if [[ -n ${ECS_DEPLOY_KIT_BIN:-} ]]; then
    tagcheck=("$ECS_DEPLOY_KIT_BIN/ecs-tagcheck")
    verify=("$ECS_DEPLOY_KIT_BIN/ecs-verify")
else
    tagcheck=(cargo run --locked --quiet --bin ecs-tagcheck --)
    verify=(cargo run --locked --quiet --bin ecs-verify --)
fi
"${tagcheck[@]}" examples buildspecs "$templates"
"${verify[@]}" pipeline-template --source-root . "$templates"/cloudformation/*.yaml
say "clean"
