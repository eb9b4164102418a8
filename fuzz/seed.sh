#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the test fixtures and the example service, so libFuzzer
# starts from real files instead of empty input. The corpus is generated, never committed:
# run this again after the fixtures change. Seeds are named by content hash, so running it
# twice adds nothing.

# The seeds are templates: their `${NAME}` must reach the files unexpanded.
# shellcheck disable=SC2016
set -euo pipefail

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$fuzz_dir")"
corpus="$fuzz_dir/corpus"
fixtures="$root/tests/fixtures"
example="$root/examples/web-service"

# seed TARGET FILE...: copies each file under its hash.
seed() {
  local target="$1" file
  shift
  mkdir -p "$corpus/$target"
  for file in "$@"; do
    [[ -f "$file" ]] || continue
    cp "$file" "$corpus/$target/$(sha1sum <"$file" | cut -c1-40)"
  done
}

# seed_text TARGET TEXT...: one seed per argument, for inputs no fixture holds on its own.
seed_text() {
  local target="$1" text
  shift
  mkdir -p "$corpus/$target"
  for text in "$@"; do
    printf '%s' "$text" >"$corpus/$target/$(printf '%s' "$text" | sha1sum | cut -c1-40)"
  done
}

shopt -s nullglob globstar

# Image references: every `image`, `imageUri` and `ImageURI` value and `FROM` image in the
# fixtures, plus the grammar's corners (port, IPv6 host, digest only, tag and digest).
mapfile -t references < <(
  grep -rhoE '"(image|imageUri|ImageURI)": *"[^"]*"' "$fixtures" "$example" |
    sed -E 's/^"[^"]*": *"//; s/"$//'
  grep -rhoiE '^FROM +(--platform=[^ ]+ +)?[^ ]+' "$fixtures" "$example" |
    awk '{print $NF}'
)
seed_text image_reference "${references[@]}" \
  'nginx' 'localhost:5000/team/app:1.0' '[::1]:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' \
  'app:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' \
  '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:v1' 'public.ecr.aws/nginx/nginx:1.27-alpine'

# Dockerfiles: the fixtures, plus ARG scoping, `COPY --from`, heredocs and `# escape=`.
seed dockerfile "$example/Dockerfile" "$fixtures"/**/Dockerfile
seed_text dockerfile \
  $'ARG GO=1.22\nFROM --platform=$BUILDPLATFORM golang:${GO} AS build\nARG GO\nCOPY --from=build /a /b\nFROM scratch\n' \
  $'# escape=`\nFROM app:${TAG:-latest}\nRUN <<EOF\necho hi\nEOF\nCOPY --from=0 /x /y\n' \
  $'ARG BASE=python:3.11\nFROM ${BASE} AS one\nFROM one\nFROM base-${TARGETARCH}:1.0\n'

# Variables: `DOTENV \0 TEMPLATE`, from the env files and templates of the fixtures.
mkdir -p "$corpus/variables"
for env in "$example"/*.env "$fixtures"/**/*.env; do
  for template in "$example/taskdef.template.json" "$fixtures"/taskdefs/blue-green-placeholders.json; do
    out="$(mktemp)"
    { cat "$env"; printf '\0'; cat "$template"; } >"$out"
    seed variables "$out"
    rm -f "$out"
  done
done
# A shell string cannot hold the NUL, so printf writes it.
out="$(mktemp)"
printf 'A=alpha\nEMPTY=\nexport U="\303\274${A}$"\n\0%s' \
  '${A}-${EMPTY:-x}-$${HOME}-$$${U}-$5-${UNSET}-${A:-${B}}-${1A}-${A' >"$out"
seed variables "$out"
rm -f "$out"
seed_text variables \
  '{"image": "${IMAGE}", "env": [{"name": "${A}", "value": "${B:-b}"}], "x": "\u0024{A}"}'

# AppSpecs: YAML and JSON.
seed appspec "$fixtures"/appspec/*.yaml "$fixtures"/appspec/codedeploy-*.json "$fixtures/bundle/appspec.yaml"

# Task definitions: register input, describe output, templates.
seed task_definition "$fixtures"/taskdefs/*.json "$example/taskdef.template.json" \
  "$fixtures/bundle/taskdef.json" "$fixtures/tagcheck/out/taskdef.json" \
  "$fixtures/appspec/codepipeline-tutorial-taskdef.json"

# Zips: the bundle fixtures stored and deflated, with a folder entry and an executable, as
# Python's zipfile and Info-ZIP write them (two writers, two sets of header habits).
python3 - "$fixtures/bundle" "$example" "$corpus/unpack" <<'PY'
import hashlib, io, os, sys, zipfile

bundle, example, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
files = [(name, open(os.path.join(bundle, name), "rb").read()) for name in sorted(os.listdir(bundle))]
script = open(os.path.join(example, "build-artifacts.sh"), "rb").read()
for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr(zipfile.ZipInfo("bin/"), b"")
        info = zipfile.ZipInfo("bin/build-artifacts.sh")
        info.external_attr = 0o100755 << 16
        archive.writestr(info, script, method)
        for name, content in files:
            # A `ZipInfo` keeps the 1980 date; a plain name would stamp the clock and make a
            # new seed on every run.
            archive.writestr(zipfile.ZipInfo(name), content, method)
    data = buffer.getvalue()
    with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as seed:
        seed.write(data)
PY
if command -v zip >/dev/null; then
  out="$(mktemp -u).zip"
  (cd "$fixtures" && zip -qrX "$out" bundle appspec/codedeploy-example.yaml)
  seed unpack "$out"
  rm -f "$out"
fi

for target in "$corpus"/*/; do
  printf '%-16s %4d seeds\n' "$(basename "$target")" "$(find "$target" -type f | wc -l)"
done
