#!/usr/bin/env bash
# The project's test command: runs the whole test suite against a local AWS endpoint.
#
#   tests/run.sh                 every test of the workspace
#   tests/run.sh local_aws       arguments go to `cargo test` (here: a name filter)
#
# Needs only the Rust toolchain and Python 3 (npm too, or it installs one from PyPI). It keeps
# a virtual environment in `.venv` with pinned moto (the local endpoint), awscli (the
# independent judge the tests call as `aws`) and junitparser (the judge of JUnit reports),
# installs Microsoft's SARIF validator into target/sarif-multitool (tests/sarif-validator.sh),
# starts `moto_server` on a free port of 127.0.0.1 with its log in `target/moto.log`, points
# the SDK and the CLI at it with dummy credentials, runs `cargo test` and then the tests that
# need the endpoint (`cargo test --test aws`), and stops the server whatever happens. The exit
# status is the tests'.
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$root"
log=$root/target/moto.log

say() { printf 'tests/run.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

# --- the virtual environment and the local endpoint (tests/local-aws.sh) ---------------

# shellcheck source=tests/local-aws.sh
source "$root/tests/local-aws.sh"
local_aws_venv
# shellcheck source=tests/sarif-validator.sh
source "$root/tests/sarif-validator.sh"
sarif_validator_install

trap local_aws_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p -- "$root/target"
local_aws_start "$log"
local_aws_environment

status=0
report=$root/target/test-output.txt
# The reliability tests append their figures here (tests/support/harness.rs `figure`).
export DEPLOYKIT_FIGURES=$root/target/figures.txt
: > "$DEPLOYKIT_FIGURES"
cargo test --workspace --locked "$@" 2>&1 | tee "$report" || status=$?
# The tests that need the endpoint: a target of their own (tests/aws.rs), which plain
# `cargo test` leaves out.
cargo test --locked --test aws "$@" 2>&1 | tee -a "$report" || status=$?
if [[ -s $DEPLOYKIT_FIGURES ]]; then
    printf '\n%s\n' "figures of this run (docs/reliability.md):"
    if (($# == 0)); then
        # A full run: its figures are the page's (tests/figures.py), and a figure the page has
        # no place for fails the run.
        python3 "$root/tests/figures.py" "$DEPLOYKIT_FIGURES" --update "$root/docs/reliability.md" || status=1
    else
        python3 "$root/tests/figures.py" "$DEPLOYKIT_FIGURES"
    fi
fi
# One closing line for the whole run: the sum of every test binary's `test result:` line.
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "all tests: %d passed, %d failed\n", passed, failed }' "$report"
exit "$status"
