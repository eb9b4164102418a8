#!/usr/bin/env bash
# ecs-bundle against the tools it replaces, run by benches/compare.sh or on its own:
#
#   1. zipping a generated 1 GiB tree of mixed files (target/bench-tree, made once): ecs-bundle
#      against Info-ZIP `zip -r -X -6` (Debian's `zip`) at the same deflate level: wall time
#      with hyperfine, peak RSS with GNU time, and the zip sizes;
#   2. uploading a 200 MiB artifact to a local moto endpoint: `ecs-bundle --upload` (which zips
#      first; the zip-only time is measured too) against `aws s3 cp`, when tests/run.sh's .venv
#      has moto and the AWS CLI.
#
# Results go to target/bench/bundle-*.md and the terminal.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bin=${BIN:-$root/target/release}
[ -x "$bin/ecs-bundle" ] || cargo build --release --quiet --bin ecs-bundle
if ! command -v zip >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq zip >/dev/null
  else
    echo "error: Info-ZIP zip is not installed" >&2
    echo "help: apt-get install zip" >&2
    exit 2
  fi
fi
mkdir -p target/bench
work=$(mktemp -d -p "$root/target")
moto_pid=
cleanup() {
  [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- 1. the 1 GiB tree -------------------------------------------------------------------
tree=$root/target/bench-tree
if [ ! -e "$tree/.complete" ]; then
  rm -rf "$tree"
  python3 - "$tree" <<'PY'
# Deterministic mixed tree, about 1 GiB: 4,000 small text files (source, config), 30
# incompressible 12 MiB assets (images, archives), 25 text files of 20 MiB (logs, data).
import os, random, sys
root = sys.argv[1]
rng = random.Random(20261126)
words = [''.join(rng.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(rng.randint(2, 10))) for _ in range(5000)]
block = ' '.join(rng.choice(words) for _ in range(800_000)).encode()  # about 5 MiB of text
def text(size):
    out = bytearray()
    while len(out) < size:
        start = rng.randrange(0, len(block) - 65536)
        out += block[start:start + rng.randint(4096, 65536)] + b'\n'
    return bytes(out[:size])
def write(path, data):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'wb') as f:
        f.write(data)
for i in range(4000):
    write(f'src/module-{i // 100:02d}/file-{i:04d}.txt', text(rng.randint(4096, 65536)))
for i in range(30):
    write(f'assets/blob-{i:02d}.bin', os.urandom(12 * 1024 * 1024))
for i in range(25):
    write(f'data/log-{i:02d}.txt', text(20 * 1024 * 1024))
open(os.path.join(root, '.complete'), 'w').close()
PY
fi
echo "tree: $(du -sh --apparent-size "$tree" | cut -f1) in $(find "$tree" -type f | wc -l) files"

hyperfine --runs 3 --export-markdown target/bench/bundle-zip.md \
  --prepare "rm -f $work/info.zip $work/bundle.zip" \
  -n 'zip -r -X -6 (Info-ZIP)' "cd $tree && zip -q -r -X -6 $work/info.zip . -x .complete" \
  -n 'ecs-bundle' "$bin/ecs-bundle --base-dir $tree . -o $work/bundle.zip"
rm -f "$work/info.zip" "$work/bundle.zip"
/usr/bin/time -f 'zip -r -X -6 peak RSS: %M KiB' sh -c "cd $tree && zip -q -r -X -6 $work/info.zip . -x .complete" 2>&1 | tail -1
/usr/bin/time -f 'ecs-bundle peak RSS: %M KiB' "$bin/ecs-bundle" --base-dir "$tree" . -o "$work/bundle.zip" 2>&1 | tail -1
echo "sizes: Info-ZIP $(stat -c %s "$work/info.zip") bytes, ecs-bundle $(stat -c %s "$work/bundle.zip") bytes"
rm -f "$work/info.zip" "$work/bundle.zip"

# --- 2. a 200 MiB upload -----------------------------------------------------------------
venv=$root/.venv
if [ ! -x "$venv/bin/moto_server" ] || [ ! -x "$venv/bin/aws" ]; then
  echo "skipping the upload comparison: run tests/run.sh once to install moto and the AWS CLI into .venv"
  exit 0
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
export AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
for _ in $(seq 100); do curl -sf "$AWS_ENDPOINT_URL/moto-api/" >/dev/null && break; sleep 0.1; done
"$venv/bin/aws" s3api create-bucket --bucket bench >/dev/null
"$venv/bin/aws" s3api put-bucket-versioning --bucket bench --versioning-configuration Status=Enabled
head -c $((200 * 1024 * 1024)) /dev/urandom >"$work/artifact.bin"
hyperfine --runs 3 --export-markdown target/bench/bundle-upload.md \
  -n 'aws s3 cp (200 MiB)' "$venv/bin/aws s3 cp --quiet $work/artifact.bin s3://bench/cli.bin" \
  -n 'ecs-bundle zip only' "$bin/ecs-bundle --base-dir $work artifact.bin -o $work/a.zip" \
  -n 'ecs-bundle zip + --upload' "$bin/ecs-bundle --base-dir $work artifact.bin -o $work/b.zip --upload s3://bench/bundle.zip"
/usr/bin/time -f 'aws s3 cp peak RSS: %M KiB' "$venv/bin/aws" s3 cp --quiet "$work/artifact.bin" s3://bench/cli.bin 2>&1 | tail -1
/usr/bin/time -f 'ecs-bundle zip + upload peak RSS: %M KiB' "$bin/ecs-bundle" --base-dir "$work" artifact.bin -o "$work/c.zip" --upload s3://bench/bundle.zip 2>&1 | tail -1
