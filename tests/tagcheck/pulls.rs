//! `ecs-tagcheck` on every image a Dockerfile makes the build pull (`# syntax=`, `FROM`,
//! `COPY --from`, `RUN --mount=…,from=`, `ONBUILD`), and the trusted-registry policy of
//! `--trusted-registry` and `trusted-registries`.

use crate::support::harness::Test;

/// Pulls from Docker Hub (the frontend and `golang`), gcr.io and ghcr.io.
const DOCKERFILE: &str = "# syntax=docker/dockerfile:1\n\
FROM golang:1.22 AS build\n\
RUN --mount=type=cache,target=/root/.cache go build -o /app\n\
FROM gcr.io/distroless/static:nonroot\n\
COPY --from=build /app /app\n\
RUN --mount=type=bind,from=ghcr.io/acme/tools:1.0,target=/t /t/check\n";

#[test]
fn mutable_tags_in_mounts_onbuild_and_the_frontend() {
    let dockerfile = "# syntax=docker/dockerfile\n\
FROM alpine:3.20\n\
RUN --mount=type=bind,from=ghcr.io/acme/tools:latest,target=/t /t/check\n\
ONBUILD COPY --from=nginx:latest /etc/nginx /etc/nginx\n";
    Test::new()
        .file("Dockerfile", dockerfile)
        .args(["Dockerfile"])
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has("error[untagged-image]: `docker/dockerfile` has no tag, so ECS pulls `latest`, whatever that is on the day (Dockerfile: line 1, column 10)")
        .stderr_has("error[latest-tag]: `ghcr.io/acme/tools:latest` uses the mutable tag `latest`, so nobody can tell which build it deploys (Dockerfile: line 3, column 28)")
        .stderr_has("error[latest-tag]: `nginx:latest` uses the mutable tag `latest`, so nobody can tell which build it deploys (Dockerfile: line 4, column 21)")
        .stderr_has("checked 1 file: 3 errors, 0 warnings");
}

#[test]
fn without_trusted_registries_every_registry_is_trusted() {
    Test::new()
        .file("Dockerfile", DOCKERFILE)
        .args(["Dockerfile"])
        .run("ecs-tagcheck")
        .success();
}

#[test]
fn untrusted_registries_fail_the_check() {
    Test::new()
        .file("Dockerfile", DOCKERFILE)
        .args([
            "Dockerfile",
            "--trusted-registry",
            "gcr.io/distroless",
            "--trusted-registry",
            "golang",
        ])
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has("error[untrusted-registry]: `docker/dockerfile:1` is pulled from `docker.io/docker/dockerfile`, which no trusted registry or repository prefix covers (Dockerfile: line 1, column 10)")
        .stderr_has("error[untrusted-registry]: `ghcr.io/acme/tools:1.0` is pulled from `ghcr.io/acme/tools`, which no trusted registry or repository prefix covers (Dockerfile: line 6, column 28)")
        .stderr_has("help: pull it from a trusted registry")
        .stderr_has("checked 1 file: 2 errors, 0 warnings");
}

#[test]
fn prefixes_match_whole_segments() {
    // `gcr.io/distro` is not `gcr.io/distroless`; `docker.io` trusts all of Docker Hub.
    Test::new()
        .file("Dockerfile", DOCKERFILE)
        .args([
            "Dockerfile",
            "--trusted-registry",
            "gcr.io/distro",
            "--trusted-registry",
            "docker.io",
            "--trusted-registry",
            "ghcr.io/acme",
        ])
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has("error[untrusted-registry]: `gcr.io/distroless/static:nonroot` is pulled from `gcr.io/distroless/static`")
        .stderr_has("checked 1 file: 1 error, 0 warnings");
}

#[test]
fn the_config_file_and_the_flag_add_up() {
    Test::new()
        .file("Dockerfile", DOCKERFILE)
        .file(
            ".ecs-tagcheck.toml",
            "trusted-registries = [\"gcr.io/distroless\", \"docker.io/library\", \"docker.io/docker/dockerfile\"]\n",
        )
        .args(["Dockerfile", "--trusted-registry", "ghcr.io/acme/tools"])
        .run("ecs-tagcheck")
        .success();
    Test::new()
        .file("Dockerfile", DOCKERFILE)
        .file(
            ".ecs-tagcheck.toml",
            "trusted-registries = [\"gcr.io/distroless\", \"docker.io/library\", \"docker.io/docker/dockerfile\"]\n",
        )
        .args(["Dockerfile"])
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has("error[untrusted-registry]: `ghcr.io/acme/tools:1.0`");
}

#[test]
fn a_prefix_that_can_match_nothing_stops_the_run() {
    Test::new()
        .file("Dockerfile", DOCKERFILE)
        .args([
            "Dockerfile",
            "--trusted-registry",
            "gcr.io/distroless:latest",
        ])
        .run("ecs-tagcheck")
        .code(2)
        .stderr_has("(--trusted-registry)");
    Test::new()
        .file("Dockerfile", DOCKERFILE)
        .file(".ecs-tagcheck.toml", "trusted-registries = [\"\"]\n")
        .args(["Dockerfile"])
        .run("ecs-tagcheck")
        .code(2)
        .stderr_has("`trusted-registries`: a trusted registry prefix cannot be empty");
}
