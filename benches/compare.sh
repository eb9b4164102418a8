#!/usr/bin/env bash
# Times the ecs-deploy-kit programs against the shell lines they replace, with hyperfine.
#
#   benches/compare.sh            # builds release binaries first
#
# hyperfine comes from Debian (`apt-get install hyperfine`); the script installs it when it
# can. Results go to target/bench/*.md as well as the terminal.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if ! command -v hyperfine >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
  else
    echo "error: hyperfine is not installed" >&2
    echo "help: apt-get install hyperfine" >&2
    exit 2
  fi
fi

cargo build --release --quiet --bins
bin="$root/target/release"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p target/bench
image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/web-service:4f2a9c1

# 1. imagedefinitions.json: the program against the printf line of the AWS samples' buildspecs.
hyperfine --shell=none --warmup 20 --runs 300 --export-markdown target/bench/imagedefs.md \
  -n 'printf (sh -c)' "sh -c 'printf \"[{\\\"name\\\":\\\"%s\\\",\\\"imageUri\\\":\\\"%s\\\"}]\" web $image > $work/printf.json'" \
  -n 'ecs-imagedefs' "$bin/ecs-imagedefs -o $work/imagedefinitions.json web=$image"

# 2. The same with the container name checked against the task definition.
hyperfine --shell=none --warmup 20 --runs 300 --export-markdown target/bench/imagedefs-taskdef.md \
  -n 'ecs-imagedefs --taskdef' "$bin/ecs-imagedefs -o $work/imagedefinitions.json --taskdef examples/web-service/taskdef.template.json web=$image" \
  -n 'ecs-imagedefs check' "$bin/ecs-imagedefs check $work/imagedefinitions.json"

# 3. taskdef.json: the program against the jq + sed pipeline buildspecs use for it.
template=examples/web-service/taskdef.template.json
export AWS_ACCOUNT_ID=123456789012 AWS_REGION=eu-west-1
hyperfine --warmup 20 --runs 300 --export-markdown target/bench/taskdef.md \
  -n 'sed | jq' "sed -e 's|\\\${AWS_ACCOUNT_ID}|$AWS_ACCOUNT_ID|g' -e 's|\\\${AWS_REGION}|$AWS_REGION|g' -e 's|\\\${APP_ENV:-dev}|dev|g' $template | jq '.containerDefinitions[0].image = \"<IMAGE1_NAME>\"' > $work/sed-jq.json" \
  -n 'ecs-taskdef render' "$bin/ecs-taskdef render $template --placeholder web --no-provenance -o $work/taskdef.json"

# Peak memory of one run, in KiB (GNU time, when present).
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f 'ecs-imagedefs peak RSS: %M KiB' "$bin/ecs-imagedefs" -o "$work/imagedefinitions.json" "web=$image" 2>&1 | tail -1
  /usr/bin/time -f 'ecs-taskdef render peak RSS: %M KiB' "$bin/ecs-taskdef" render "$template" --no-provenance -o "$work/taskdef.json" 2>&1 | tail -1
fi

# 4. ecs-bundle: a 1 GiB tree against Info-ZIP, a 200 MiB upload against `aws s3 cp`.
BIN="$bin" "$root/benches/bundle-compare.sh"
