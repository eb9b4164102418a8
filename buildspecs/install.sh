#!/usr/bin/env bash
# Installs the ecs-deploy-kit programs in a CodeBuild job: the release tarball named by
# ECS_DEPLOY_KIT_URL (s3://…, or a local path), checked against ECS_DEPLOY_KIT_SHA256, unpacked
# into $HOME/.ecs-deploy-kit/$ECS_DEPLOY_KIT_VERSION. The buildspecs cache the tarball, which
# every build hashes again before unpacking it: the cache is restored from storage that other
# builds write (https://docs.aws.amazon.com/codebuild/latest/userguide/build-caching.html), so
# nothing in it is trusted on its name or on a marker file. Prints the folder to put on PATH.
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
tarball=$home/$version.tar.gz
mkdir -p "$home"
scratch=$(mktemp -d "$home/.install.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
hash_of() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$tarball" ] && [ "$(hash_of "$tarball")" = "$sha256" ]; then
    printf 'ecs-deploy-kit %s: the cached tarball has the expected SHA-256\n' "$version" >&2
else
    case $url in
        s3://*) aws s3 cp --only-show-errors "$url" "$scratch/kit.tar.gz" >&2 \
            || fail "cannot download $url" "check the URL and that the project's role may s3:GetObject it" ;;
        *) cp "$url" "$scratch/kit.tar.gz" || fail "cannot read $url" ;;
    esac
    actual=$(hash_of "$scratch/kit.tar.gz")
    [ "$actual" = "$sha256" ] || fail "$url has SHA-256 $actual, not the expected $sha256" \
        "the tarball is not the release the project names: fix ECS_DEPLOY_KIT_SHA256 or the object"
    mv "$scratch/kit.tar.gz" "$tarball"
fi
mkdir "$scratch/kit"
tar -xzf "$tarball" -C "$scratch/kit" --no-same-owner
[ -x "$scratch/kit/bin/ecs-verify" ] || fail "$url has no bin/ecs-verify" "is it an ecs-deploy-kit release tarball?"
# Replace any earlier copy whole: a half-unpacked folder is never put on PATH.
rm -rf "$folder"
mv "$scratch/kit" "$folder"
printf 'ecs-deploy-kit %s: installed in %s\n' "$version" "$folder" >&2
printf '%s\n' "$folder/bin"
