# The helpers of benches/compare.sh, sourced by it: the verdicts it prints and writes to the
# summary, the sections it runs, the local endpoint and the live check. They read the script's
# globals: root, work, out, summary, bin, moto_pid and live_endpoint_pid.
# shellcheck shell=bash disable=SC2154  # the globals above are set by benches/compare.sh

# The median wall time, in seconds, of command $2 in hyperfine's JSON export $1.
median() { jq -r --arg name "$2" '.results[] | select(.command == $name) | .median' "$1"; }

# Peak RSS in KiB of one run of the command (GNU time).
peak_kib() { /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1 || die "failed: $*"; cat "$work/rss"; }

# One line per target: name, ours, theirs, and whether the goal is met; `faster` goals read
# "theirs / ours >= goal", `within` goals read "ours / theirs <= goal".
verdict() {
    local name=$1 kind=$2 goal=$3 ours=$4 theirs=$5 unit=${6:-s}
    python3 - "$name" "$kind" "$goal" "$ours" "$theirs" "$unit" <<'PY' | tee -a "$summary"
import sys
name, kind, goal, ours, theirs, unit = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
if kind == "faster":
    ratio = theirs / ours
    met = ratio >= goal
    text = f"{ratio:.2f}x faster (goal >= {goal:g}x)"
    miss = "" if met else f", missed by {(1 - ratio / goal) * 100:.0f}%: needs {ours - theirs / goal:.3f} {unit} less"
else:
    ratio = ours / theirs
    met = ratio <= goal
    text = f"{ratio:.2f}x of the baseline (goal <= {goal:g}x)"
    miss = "" if met else f", missed by {(ratio / goal - 1) * 100:.0f}%"
value = (lambda v: f"{v:.4f} s") if unit == "s" else (lambda v: f"{v:.0f} {unit}")
print(f"{'MET   ' if met else 'MISSED'} {name}: ours {value(ours)}, baseline {value(theirs)}: {text}{miss}")
PY
}

limit() {
    local name=$1 value=$2 goal=$3 unit=$4
    if python3 -c "import sys; sys.exit(0 if float('$value') <= float('$goal') else 1)"; then
        printf 'MET    %s: %s %s (goal <= %s %s)\n' "$name" "$value" "$unit" "$goal" "$unit" | tee -a "$summary"
    else
        printf 'MISSED %s: %s %s (goal <= %s %s)\n' "$name" "$value" "$unit" "$goal" "$unit" | tee -a "$summary"
    fi
}

mib() { python3 -c "print(f'{$1 / 1024:.1f}')"; }

# Whether section $1 runs: all of them without BENCH_ONLY, else those it names.
want() { [[ -z ${BENCH_ONLY:-} || ,$BENCH_ONLY, == *,"$1",* ]]; }

finish() { echo; echo "summary ($summary):"; cat "$summary"; exit 0; }

# The local S3 endpoint, started once for the sections that need it.
local_aws() {
    [[ -z $moto_pid ]] || return 0
    # shellcheck source=tests/local-aws.sh
    source "$root/tests/local-aws.sh"
    local_aws_venv
    local_aws_start "$work/moto.log"
    local_aws_environment
}


# `ecs-verify --live` for the ECS action with a task definition of ten containers and twenty
# secrets (benches/live_account.py), on the local endpoint already started: its wall time, and
# the AWS calls counted where they arrive, one line of moto's request log each. Each question
# (2 roles, 1 log group, 20 secrets, 10 images) is one call when nothing pages.
live_check() {
    local dir=$work/live before after simulated_before simulated_after claimed
    # One Region for boto3 (which reads AWS_DEFAULT_REGION) and the programs (AWS_REGION first).
    export AWS_DEFAULT_REGION=${AWS_REGION:-us-east-1} AWS_REGION=${AWS_REGION:-us-east-1}
    "$venv/bin/python" "$root/benches/live_account.py" "$dir" || die "cannot make the live-check account"
    # moto does not simulate IAM policies: benches/live_endpoint.py answers
    # SimulatePrincipalPolicy (every decision allowed) and passes every other IAM call to moto.
    : >"$work/simulations"
    "$venv/bin/python" "$root/benches/live_endpoint.py" "$endpoint" "$work/simulations" >"$work/iam.url" &
    live_endpoint_pid=$!
    for _ in $(seq 50); do [[ -s $work/iam.url ]] && break; sleep 0.1; done
    [[ -s $work/iam.url ]] || die "benches/live_endpoint.py did not start"
    AWS_ENDPOINT_URL_IAM=$(head -n 1 "$work/iam.url")
    export AWS_ENDPOINT_URL_IAM
    local verify=("$bin/ecs-verify" --for ecs "$dir/build" --taskdef "$dir/taskdef.json" --live)
    "${verify[@]}" 2>"$work/live.err" || { cat "$work/live.err" >&2; die "ecs-verify --live failed on the benchmark account"; }
    before=$(grep -c '" [0-9][0-9][0-9] -' "$work/moto.log" || true)
    simulated_before=$(wc -l <"$work/simulations")
    "${verify[@]}" 2>/dev/null
    after=$(grep -c '" [0-9][0-9][0-9] -' "$work/moto.log" || true)
    simulated_after=$(wc -l <"$work/simulations")
    claimed=$(grep -o 'note: [0-9]* calls' "$work/live.err" | grep -o '[0-9]*')
    say "live: $(grep -o 'asked the account.*' "$work/live.err"); $(grep -o 'note: [0-9]* calls.*' "$work/live.err")"
    hyperfine -N --warmup 3 --runs 20 --style basic --export-json "$out/live.json" \
        -n 'ecs-verify --live' "${verify[*]}" >/dev/null
    limit "live check of 10 containers and 20 secrets, wall time" \
        "$(python3 -c "print(f'{$(median "$out/live.json" 'ecs-verify --live') * 1000:.0f}')")" 300 ms
    # The calls that arrived (moto's request log and the simulations) against the calls the
    # program says it sent: a call made but not counted, or counted twice, shows here.
    limit "live check of 10 containers and 20 secrets, AWS calls (as the program counts them)" \
        "$((after - before + simulated_after - simulated_before))" "$claimed" calls
    kill "$live_endpoint_pid" 2>/dev/null || true
    live_endpoint_pid=
    unset AWS_ENDPOINT_URL_IAM
}
