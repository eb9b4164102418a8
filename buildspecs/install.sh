#!/usr/bin/env bash
# Installs the ecs-deploy-kit programs in a CodeBuild job: the release tarball named by
# ECS_DEPLOY_KIT_URL (s3://…, or a local path), checked against ECS_DEPLOY_KIT_SHA256, unpacked
# into $HOME/.ecs-deploy-kit/$ECS_DEPLOY_KIT_VERSION, which the buildspecs cache. A cached copy
# is used only when it came from the same checksum. Prints the folder to put on PATH.
#
#   PATH="$(bash buildspecs/install.sh):$PATH"
set -euo pipefail

fail() {
    printf 'error: %s\n' "$1" >&2
    [ -z "${2:-}" ] || printf 'help: %s\n' "$2" >&2
    exit 2
}

url=${ECS_DEPLOY_KIT_URL:-}
sha256=${ECS_DEPLOY_KIT_SHA256:-}
version=${ECS_DEPLOY_KIT_VERSION:-}
[ -n "$url" ] || fail "ECS_DEPLOY_KIT_URL is not set" \
    "set it on the CodeBuild project to the release tarball, such as s3://BUCKET/ecs-deploy-kit/0.1.0/ecs-deploy-kit-x86_64-linux.tar.gz"
[[ $sha256 =~ ^[0-9a-f]{64}$ ]] || fail "ECS_DEPLOY_KIT_SHA256 is \`$sha256\`, not a SHA-256 (64 lower-case hex digits)" \
    "set it to the checksum published with the release (\`sha256sum\` of the tarball)"
[[ $version =~ ^[0-9A-Za-z._-]+$ ]] || fail "ECS_DEPLOY_KIT_VERSION is \`$version\`, not a version such as 0.1.0" \
    "set it to the release's version; it names the cache folder"

home=${HOME:?HOME is unset}/.ecs-deploy-kit
folder=$home/$version
if [ -x "$folder/bin/ecs-verify" ] && [ "$(cat "$folder/.sha256" 2>/dev/null)" = "$sha256" ]; then
    printf 'ecs-deploy-kit %s: cached in %s\n' "$version" "$folder" >&2
    printf '%s\n' "$folder/bin"
    exit 0
fi

mkdir -p "$home"
scratch=$(mktemp -d "$home/.install.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
case $url in
    s3://*) aws s3 cp --only-show-errors "$url" "$scratch/kit.tar.gz" >&2 \
        || fail "cannot download $url" "check the URL and that the project's role may s3:GetObject it" ;;
    *) cp "$url" "$scratch/kit.tar.gz" || fail "cannot read $url" ;;
esac
actual=$(sha256sum "$scratch/kit.tar.gz" | cut -d' ' -f1)
[ "$actual" = "$sha256" ] || fail "$url has SHA-256 $actual, not the expected $sha256" \
    "the tarball is not the release the project names: fix ECS_DEPLOY_KIT_SHA256 or the object"
mkdir "$scratch/kit"
tar -xzf "$scratch/kit.tar.gz" -C "$scratch/kit" --no-same-owner
[ -x "$scratch/kit/bin/ecs-verify" ] || fail "$url has no bin/ecs-verify" "is it an ecs-deploy-kit release tarball?"
printf '%s\n' "$sha256" > "$scratch/kit/.sha256"
# Replace any earlier copy whole: a half-unpacked folder is never put on PATH.
rm -rf "$folder"
mv "$scratch/kit" "$folder"
printf 'ecs-deploy-kit %s: installed in %s\n' "$version" "$folder" >&2
printf '%s\n' "$folder/bin"
