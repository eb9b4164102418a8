#!/usr/bin/env bash
# Fuzzes every target for SECONDS_PER_TARGET (default 60), one after another, and prints per
# target the executions libFuzzer ran and the crashes it found. Exits 1 when any target
# crashed; the crashing inputs are in fuzz/artifacts/<target>/, and each belongs in a unit
# test next to the code it broke.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seconds="${1:-60}"
shift || true
cd "$fuzz_dir"

# The same version everywhere, so a crash reproduces with the tool that found it.
cargo_fuzz_version=0.13.2
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz --version "$cargo_fuzz_version"
fi

./seed.sh
# Build once up front, so the time per target is spent fuzzing rather than compiling.
cargo +nightly fuzz build

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

logs="$fuzz_dir/target/run-logs"
mkdir -p "$logs"
summary=()
failed=0
for target in "${targets[@]}"; do
  mkdir -p "artifacts/$target"
  before=$(find "artifacts/$target" -type f | wc -l)
  log="$logs/$target.log"
  echo "fuzzing $target for ${seconds}s (log: $log)"
  status=0
  # `-timeout`: an input that takes over 10 s is a hang worth reporting as a crash.
  cargo +nightly fuzz run "$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    >"$log" 2>&1 || status=$?
  executions=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  crashes=$(($(find "artifacts/$target" -type f | wc -l) - before))
  if [[ $status -ne 0 ]]; then
    failed=1
    # A failure that left no input behind (a build error, an out-of-memory kill) still counts.
    [[ $crashes -gt 0 ]] || crashes="failed (exit $status)"
    tail -40 "$log"
  fi
  corpus=$(find "corpus/$target" -type f | wc -l)
  summary+=("$(printf '%-16s %12s executions  %6s corpus  crashes: %s' \
    "$target" "${executions:-?}" "$corpus" "$crashes")")
done

echo
echo "fuzzed ${#targets[@]} targets, ${seconds}s each"
printf '%s\n' "${summary[@]}"
exit "$failed"
