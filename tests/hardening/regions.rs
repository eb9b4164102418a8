//! AWS settings that cannot work, told the same way by every program: no AWS Region anywhere
//! (no `--region`, no `AWS_REGION` or `AWS_DEFAULT_REGION`, no configuration file) stops every
//! program that calls AWS with one error, whatever the service, before any call and before any
//! file is written; an endpoint that is not a URL is named without the SDK's wrappers; the
//! proxy of the environment carries the calls, as it does for the AWS CLI and the SDK's
//! default client (`docs/aws/crates.md#the-aws-sdk-for-rust`).

use crate::support::harness::Test;

const EXPECTED: &str = "error: no AWS Region is set (--region)\nhelp: give --region, such as \
                        `--region eu-west-1`, or set AWS_REGION, or set `region` in the profile \
                        of ~/.aws/config that AWS_PROFILE or --profile names\n";

#[test]
fn a_missing_region_reads_the_same_for_every_program_and_service() {
    let runs: [(&str, &[&str]); 12] = [
        ("ecs-pipeline", &["status", "--pipeline", "p"]),
        ("ecs-pipeline", &["start", "--pipeline", "p"]),
        (
            "ecs-pipeline",
            &["wait", "--pipeline", "p", "--execution-id", "e"],
        ),
        (
            "ecs-pipeline",
            &[
                "approve",
                "--pipeline",
                "p",
                "--stage",
                "s",
                "--action",
                "a",
            ],
        ),
        (
            "ecs-scaling",
            &["status", "--cluster", "c", "--service", "web"],
        ),
        (
            "ecs-scaling",
            &["suspend", "--cluster", "c", "--service", "web"],
        ),
        (
            "ecs-bundle",
            &["a.txt", "-o", "a.zip", "--upload", "s3://b/a.zip"],
        ),
        ("ecs-bundle", &["fetch", "s3://b/a.zip", "-o", "b.zip"]),
        ("ecs-bundle", &["unpack", "s3://b/a.zip", "-d", "out"]),
        (
            "ecs-taskdef",
            &["render", "--from-ecs", "web", "-o", "t.json"],
        ),
        (
            "ecs-verify",
            &["--for", "ecs", "build", "--from-ecs", "c/web"],
        ),
        ("ecs-verify", &["--pipeline", "p", "SourceArtifact=source"]),
    ];
    for (program, args) in runs {
        let test = Test::new()
            .file("a.txt", "a\n")
            .file("build/imagedefinitions.json", "[]");
        let home = test.path().join("home");
        let none = test.path().join("none");
        std::fs::create_dir(&home).expect("an empty home");
        let outcome = test
            .env("HOME", &home.display().to_string())
            .env("AWS_CONFIG_FILE", &none.display().to_string())
            .env("AWS_SHARED_CREDENTIALS_FILE", &none.display().to_string())
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .args(args)
            .run(program);
        assert_eq!(
            (outcome.code, outcome.stderr.as_str()),
            (2, EXPECTED),
            "{program} {args:?}"
        );
        assert_eq!(outcome.stdout, "", "{program} {args:?}");
        assert_eq!(
            outcome.files(),
            ["a.txt", "build/imagedefinitions.json"],
            "{program} {args:?} wrote something"
        );
    }
}

/// An endpoint that is not a URL is named, in the SDK's own reason but without its wrappers
/// (`dispatch failure: other: …`), which say nothing to a user.
#[test]
fn a_malformed_endpoint_is_told_without_the_sdks_wrappers() {
    let runs: [(&str, &[&str]); 2] = [
        ("ecs-pipeline", &["status", "--pipeline", "p"]),
        ("ecs-bundle", &["fetch", "s3://b/a.zip", "-o", "b.zip"]),
    ];
    for (program, args) in runs {
        let outcome = Test::new()
            .with_test_endpoint("not a url")
            .env("AWS_MAX_ATTEMPTS", "1")
            .args(args)
            .run(program)
            .code(2)
            .stderr_has("`not a url`");
        for wrapper in [
            "dispatch failure",
            ": other:",
            "failed to construct request",
        ] {
            assert!(
                !outcome.stderr.contains(wrapper),
                "{program}: {}",
                outcome.stderr
            );
        }
    }
}

/// `HTTP_PROXY` names the proxy of an `http://` endpoint (`HTTPS_PROXY` of an `https://` one):
/// the call goes to the proxy, here a test endpoint that refuses everything, and never looks up
/// the endpoint's own name, which does not resolve.
#[test]
fn the_environments_proxy_carries_the_calls() {
    let proxy = crate::support::denied_endpoint::start();
    let run = |proxy: Option<&str>| {
        let mut test = Test::new()
            .with_test_endpoint("http://endpoint.invalid:9")
            .env("AWS_MAX_ATTEMPTS", "1");
        if let Some(proxy) = proxy {
            test = test.env("HTTP_PROXY", proxy);
        }
        test.args(["status", "--pipeline", "web"])
            .run("ecs-pipeline")
            .code(2)
    };
    run(Some(&proxy)).stderr_has("AccessDeniedException");
    let direct = run(None);
    assert!(
        !direct.stderr.contains("AccessDeniedException"),
        "{}",
        direct.stderr
    );
}
