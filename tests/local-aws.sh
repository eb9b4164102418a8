# shellcheck shell=bash
# The local AWS endpoint, shared by tests/run.sh and benches/compare.sh: source it, then call
# `local_aws_venv` (a virtual environment in .venv with pinned moto, awscli and junitparser) and
# `local_aws_start LOG` (moto_server on a free port of 127.0.0.1; sets `moto_pid` and
# `endpoint`), and `local_aws_stop` when done. Expects `root` (the repository) and `die`.

readonly MOTO_VERSION=5.2.5
readonly AWSCLI_VERSION=1.46.3
# An independent JUnit reader, the judge of the programs' JUnit reports (tests/reports/).
readonly JUNITPARSER_VERSION=5.0.3
# moto imports a lot on its first start; a cold disk can take several seconds.
readonly STARTUP_SECONDS=30

venv=${root:?}/.venv
moto_pid=
endpoint=

# Exits 0 when the venv has exactly the pinned versions and the server extra.
pinned_versions_installed() {
    "$venv/bin/python" - "$MOTO_VERSION" "$AWSCLI_VERSION" "$JUNITPARSER_VERSION" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
import flask, flask_cors  # noqa: F401  (the `server` extra of moto)
pinned = (version("moto"), version("awscli"), version("junitparser"))
sys.exit(0 if pinned == tuple(sys.argv[1:4]) else 1)
PY
}

local_aws_venv() {
    if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c '' 2>/dev/null; then
        say "creating the virtual environment in .venv"
        python3 -m venv --clear "$venv" || die "cannot create .venv with \`python3 -m venv\`"
    fi
    if ! pinned_versions_installed || [[ ! -x $venv/bin/moto_server || ! -x $venv/bin/aws ]]; then
        say "installing moto[server]==$MOTO_VERSION, awscli==$AWSCLI_VERSION and junitparser==$JUNITPARSER_VERSION into .venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
            "moto[server]==$MOTO_VERSION" "awscli==$AWSCLI_VERSION" \
            "junitparser==$JUNITPARSER_VERSION" \
            || die "pip could not install moto, awscli and junitparser"
    fi
}

free_port() {
    "$venv/bin/python" -c '
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])'
}

# Waits until moto answers on its admin API (exit 0), its process is gone (exit 3), or time is
# up (exit 1).
wait_until_ready() {
    "$venv/bin/python" - "$1" "$2" "$STARTUP_SECONDS" <<'PY'
import os, sys, time, urllib.request
url, pid, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
deadline = time.monotonic() + limit
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(3)
    try:
        with urllib.request.urlopen(url, timeout=1):
            sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}

# Starts moto with its log in $1; exits 2 with the log's end when it does not come up.
local_aws_start() {
    local log=$1 port ready=0
    port=$(free_port)
    "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
    moto_pid=$!
    endpoint=http://127.0.0.1:$port
    wait_until_ready "$endpoint/moto-api/" "$moto_pid" || ready=$?
    if ((ready != 0)); then
        if ((ready == 3)); then
            say "error: moto_server exited before answering on $endpoint; the end of $log:"
        else
            say "error: moto did not answer on $endpoint within ${STARTUP_SECONDS}s; the end of $log:"
        fi
        tail -n 20 -- "$log" >&2 || true
        exit 2
    fi
    say "moto $MOTO_VERSION is listening on $endpoint (log: $log)"
}

# shellcheck disable=SC2317,SC2329  # called by EXIT traps, which shellcheck does not follow
local_aws_stop() {
    if [[ -n $moto_pid ]] && kill -0 "$moto_pid" 2>/dev/null; then
        kill "$moto_pid" 2>/dev/null || true
        wait "$moto_pid" 2>/dev/null || true
    fi
}

# Only the dummy credentials and the local endpoint: nothing from the user's own AWS setup
# (profiles, SSO sessions, config files, per-service endpoints) may reach what runs next.
local_aws_environment() {
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN
    local name
    while IFS= read -r name; do
        unset "$name"
    done < <(compgen -e | grep '^AWS_ENDPOINT_URL_' || true)
    export AWS_ENDPOINT_URL=$endpoint
    export AWS_ACCESS_KEY_ID=test
    export AWS_SECRET_ACCESS_KEY=test
    export AWS_REGION=us-east-1
    export AWS_DEFAULT_REGION=us-east-1
    export AWS_PAGER=
    export AWS_EC2_METADATA_DISABLED=true
    export AWS_CONFIG_FILE=$root/target/aws-config-none
    export AWS_SHARED_CREDENTIALS_FILE=$root/target/aws-credentials-none
    export PATH=$venv/bin:$PATH
}
