#!/usr/bin/env bash
# Builds the ecs-deploy-kit programs and writes the sample service's deployment artifacts,
# as its CodeBuild job's post_build phase would, into OUT_DIR (default: out/).
#
#   examples/web-service/build-artifacts.sh [OUT_DIR]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-out}

cargo build --quiet --manifest-path "$root/Cargo.toml" --bins
# Where cargo puts them, CARGO_TARGET_DIR included.
bin=$(cargo metadata --no-deps --format-version 1 --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/debug

set -a
# shellcheck source=examples/web-service/build.env
. "$here/build.env"
set +a
IMAGE_TAG=${CODEBUILD_RESOLVED_SOURCE_VERSION:0:7}
export IMAGE_TAG

# imagedefinitions.json for the ECS (rolling) deploy action of the dev pipeline.
"$bin/ecs-imagedefs" --taskdef "$here/taskdef.template.json" -o "$out/imagedefinitions.json"

# taskdef.json for the Blue/Green action: the template with its variables filled in, the
# `web` image left as the <IMAGE1_NAME> placeholder the action replaces, and the commit stamped.
"$bin/ecs-taskdef" render "$here/taskdef.template.json" --placeholder web -o "$out/taskdef.json"

# imageDetail.json for the ECS Blue/Green (CodeDeployToECS) action of the prod pipeline,
# pinned by the digest the push reported.
"$bin/ecs-imagedefs" --image-detail "$REPOSITORY_URI:$IMAGE_TAG" --digest "$IMAGE_DIGEST" -o "$out/imageDetail.json"

# appspec.yaml for the Blue/Green action: `<TASK_DEFINITION>` for the pipeline to fill in, the
# load-balanced container and port taken from the template (its one exposed port), and a smoke
# test against the test listener before production traffic shifts. Then check it against the
# rendered taskdef.json the action registers.
"$bin/ecs-appspec" --taskdef "$here/taskdef.template.json" \
    --after-allow-test-traffic CodeDeployHook_web-service-smoke-test -o "$out/appspec.yaml"
"$bin/ecs-appspec" check --taskdef "$out/taskdef.json" "$out/appspec.yaml"

# Check the set as the pipeline will read it.
"$bin/ecs-imagedefs" check --taskdef "$out/taskdef.json" "$out/imagedefinitions.json" "$out/imageDetail.json"
"$bin/ecs-taskdef" check "$out/taskdef.json"

# No `latest`, no untagged image, in the example's sources (Dockerfile, task definition
# template) or in what was just written.
"$bin/ecs-tagcheck" "$here" "$out"

# The two deploy artifacts as deterministic zips, each checked before it is written: the ECS
# (rolling) action's imagedefinitions.json, and the Blue/Green action's templates with the
# image file (at most 3 MB). Add `--upload s3://BUCKET/KEY` to ship one to S3.
"$bin/ecs-bundle" --for ecs --base-dir "$out" imagedefinitions.json -o "$out/deploy-ecs.zip"
"$bin/ecs-bundle" --for blue-green --base-dir "$out" taskdef.json appspec.yaml imageDetail.json \
    -o "$out/deploy-bluegreen.zip"

# Both zips as the deploy actions will read them; for Blue/Green, also the task definition the
# action will register once it has put the image in place of <IMAGE1_NAME>.
"$bin/ecs-verify" --for ecs BuildArtifact="$out/deploy-ecs.zip" --taskdef "$out/taskdef.json"
"$bin/ecs-verify" --for blue-green BuildArtifact="$out/deploy-bluegreen.zip" \
    --render-final "$out/registered-taskdef.json"
