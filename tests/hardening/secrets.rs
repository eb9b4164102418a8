//! Secrets never printed: credential-looking values planted in task definitions, template
//! variables, `--env` and `--var` flags, a `--vars-file` and the process environment, then
//! every program run over them in every output format, with findings about those containers,
//! `render --check` diffs and errors that quote what they were given. No planted value may
//! appear in stdout, stderr or a report the run wrote (`README.md#the-contract-every-program-keeps`).
//!
//! The artifact the user asked for is the product, not a report: a `taskdef.json` rendered with
//! an `environment` value given on purpose holds that value, as ECS needs it. Those files are
//! named in each run and left out of the search; everything else in the run's folder (reports,
//! stray files) is searched.
//!
//! A `secrets[].valueFrom` that is an ARN names where a secret is kept, not the secret, and is
//! shown so that a wrong one can be fixed; one that is not an ARN is most likely the secret
//! pasted in by mistake, so the fixture plants one of those.

use std::fs;

use crate::support::harness::{Outcome, Test};

const FIXTURES: &str = "tests/fixtures/secrets";

/// Every value planted below; none may be printed. Besides values under names that say
/// "secret", values under neutral names whose shape gives them away: tokens with their
/// issuer's prefix, a PEM private key, a bearer JWT, a password in a URL, an IAM secret key;
/// and values outside `environment`: a token in a command line, a label and a log driver
/// option under names that say "secret", a bearer JWT in a health check.
const PLANTED: [&str; 30] = [
    "AKIAPLANTEDKEY000001",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTEDKEY",
    "tok-planted-api-token-0001",
    "planted session secret, pasted as-is!",
    "old-planted-db-password-0001",
    "old-planted-legacy-secret-0001",
    "sk_live_plantedFromVarsFile0001",
    "planted-unterminated-token-0001",
    DB_PASSWORD,
    "ghp_plantedGithubTokenFromTheEnvironment01",
    "planted-aws-session-token-0001",
    "planted-env-flag-password-0001",
    "planted-pgpassword-0001",
    "planted-db-pass-0001",
    "ghp_plantedNeutralGithubToken0000000001",
    "xoxb-planted-slack-token-0001",
    "sk_live_plantedNeutralStripeKey0001",
    "MIIEplantedPemPrivateKeyBody0001",
    "eyJhbGciOiJIUzI1NiJ9.eyJwbGFudGVkIjoxfQ.plantedJwtSignature0001",
    "plantedUrlPassword0001",
    "Zq9/plantedNeutralSecretKeyShape0001AbCd",
    "ghp_plantedPastedIntoValueFrom000000001",
    SOURCE_TOKEN,
    "ghp_plantedBuildArgWithoutEquals0001",
    "plantedPipelineVariable0001",
    "plantedImagePassword0001",
    "ghp_plantedInTheCommandLine000000000001",
    "planted-label-secret-0001",
    "planted-splunk-token-0001",
    "plantedHealthJwt0001",
];

/// The token a checkout leaves in `CODEBUILD_SOURCE_REPO_URL`.
const SOURCE_TOKEN: &str = "ghs_plantedCheckoutTokenInSourceUrl0001";

/// Reaches the template through `--var`, or the environment in some runs.
const DB_PASSWORD: &str = "planted-db-password-from-var-0001";

/// The process environment of a CodeBuild job with credentials in it.
const ENVIRONMENT: [(&str, &str); 5] = [
    (
        "AWS_SECRET_ACCESS_KEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTEDKEY",
    ),
    ("AWS_SESSION_TOKEN", "planted-aws-session-token-0001"),
    ("GITHUB_TOKEN", "ghp_plantedGithubTokenFromTheEnvironment01"),
    ("AWS_ACCESS_KEY_ID", "AKIAPLANTEDKEY000001"),
    (
        "CODEBUILD_SOURCE_REPO_URL",
        "https://x-access-token:ghs_plantedCheckoutTokenInSourceUrl0001@github.com/o/r.git",
    ),
];

fn fixture(name: &str) -> Vec<u8> {
    fs::read(format!("{FIXTURES}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A scratch folder with the fixtures, the credentials in the environment, and `rendered.json`:
/// the template rendered with every secret in it, as a build would leave it.
fn planted() -> Test {
    let mut test = Test::new();
    for name in [
        "taskdef.template.json",
        "old-taskdef.json",
        "vars.env",
        "bad-vars.env",
    ] {
        test = test.file(name, fixture(name));
    }
    for (name, value) in ENVIRONMENT {
        test = test.env(name, value);
    }
    test.env("AWS_REGION", "eu-west-1")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
}

/// Runs and searches; counts runs and leaks.
#[derive(Default)]
struct Search {
    runs: usize,
    leaks: Vec<String>,
}

impl Search {
    /// Runs `program` with `args`; `products` are the files the user asked for, not searched.
    fn run(&mut self, program: &str, args: &[&str], products: &[&str]) -> Outcome {
        self.run_with(planted(), program, args, products)
    }

    fn run_with(&mut self, test: Test, program: &str, args: &[&str], products: &[&str]) -> Outcome {
        let before = test.path().to_owned();
        let inputs: Vec<String> = fs::read_dir(&before)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        let outcome = test.args(args.iter().copied()).run(program);
        self.runs += 1;
        let shown = format!("{program} {}", args.join(" "));
        if outcome.code == 101 || outcome.stderr.contains("panicked") {
            self.leaks
                .push(format!("{shown}: panicked\n{}", outcome.stderr));
        }
        self.search(&shown, "stdout", &outcome.stdout);
        self.search(&shown, "stderr", &outcome.stderr);
        for file in outcome.files() {
            let top = file.split('/').next().unwrap_or_default();
            if inputs.iter().any(|input| input == top) || products.contains(&file.as_str()) {
                continue;
            }
            let written = String::from_utf8_lossy(&outcome.bytes(&file)).into_owned();
            self.search(&shown, &file, &written);
        }
        outcome
    }

    fn search(&mut self, run: &str, place: &str, text: &str) {
        for value in PLANTED {
            if text.contains(value) {
                self.leaks
                    .push(format!("{run}: `{value}` in {place}:\n{text}"));
            }
        }
    }
}

/// The template and the old task definition, checked and compared.
fn task_definitions(search: &mut Search) {
    let var = format!("DB_PASSWORD={DB_PASSWORD}");
    let env_flag = "web:SMTP_PASSWORD=planted-env-flag-password-0001";
    let render = [
        "render",
        "taskdef.template.json",
        "--var",
        &var,
        "--vars-file",
        "vars.env",
        "--env",
        env_flag,
    ];
    search.run(
        "ecs-taskdef",
        &[&render[..], &["-o", "taskdef.json"]].concat(),
        &["taskdef.json"],
    );
    // The diff against the old definition: both sides hold secrets.
    let check = [&render[..], &["--check", "old-taskdef.json"]].concat();
    let outcome = search.run("ecs-taskdef", &check, &[]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    // The environment instead of --var, and a template variable nobody set.
    search.run(
        "ecs-taskdef",
        &[
            "render",
            "taskdef.template.json",
            "--vars-file",
            "vars.env",
            "--check",
            "old-taskdef.json",
        ],
        &[],
    );
    search.run(
        "ecs-taskdef",
        &["diff", "old-taskdef.json", "taskdef.template.json"],
        &[],
    );
    for format in ["text", "json", "sarif", "junit"] {
        search.run(
            "ecs-taskdef",
            &[
                "check",
                "--format",
                format,
                "taskdef.template.json",
                "old-taskdef.json",
            ],
            &[],
        );
    }
}

/// Flags and files that are wrong in a way that makes the program quote them.
fn errors(search: &mut Search) {
    let cases: [&[&str]; 7] = [
        &[
            "render",
            "taskdef.template.json",
            "--var",
            "=planted-db-password-from-var-0001",
        ],
        &[
            "render",
            "taskdef.template.json",
            "--vars-file",
            "bad-vars.env",
        ],
        &[
            "render",
            "taskdef.template.json",
            "--env",
            "nosuch:SMTP_PASSWORD=planted-env-flag-password-0001",
        ],
        &[
            "render",
            "taskdef.template.json",
            "--env",
            "=planted-env-flag-password-0001",
        ],
        &[
            "render",
            "taskdef.template.json",
            "--log-option",
            "web:planted-env-flag-password-0001",
        ],
        &[
            "render",
            "taskdef.template.json",
            "--set",
            "/containerDefinitions/0/cpu=planted-env-flag-password-0001",
        ],
        &[
            "render",
            "taskdef.template.json",
            "--set",
            "/nosuch/0/x=planted-env-flag-password-0001",
        ],
    ];
    for args in cases {
        let outcome = search.run("ecs-taskdef", args, &["taskdef.json"]);
        assert_ne!(outcome.code, 0, "{args:?} is an error");
    }
    let image = "web=ci:plantedImagePassword0001@registry.example.com/web:1.0";
    let others: [(&str, &[&str]); 5] = [
        (
            "ecs-tagcheck",
            &["--build-arg", "ghp_plantedBuildArgWithoutEquals0001", "."],
        ),
        (
            "ecs-pipeline",
            &[
                "start",
                "--pipeline",
                "web",
                "--variable",
                "plantedPipelineVariable0001",
            ],
        ),
        (
            "ecs-taskdef",
            &["render", "taskdef.template.json", "--image", image],
        ),
        ("ecs-imagedefs", &[image, "-o", "imagedefinitions.json"]),
        ("ecs-imagedefs", &["--image-detail", &image[4..], "-o", "-"]),
    ];
    for (program, args) in others {
        let outcome = search.run(program, args, &[]);
        assert_ne!(outcome.code, 0, "{program} {args:?} is an error");
    }
    let listed = format!(r#"[{{"name": "web", "imageUri": "{}"}}]"#, &image[4..]);
    for format in ["text", "json", "sarif", "junit"] {
        let test = planted().file("imagedefinitions.json", listed.as_bytes());
        let outcome = search.run_with(
            test,
            "ecs-imagedefs",
            &["check", "--format", format, "imagedefinitions.json"],
            &[],
        );
        assert_ne!(outcome.code, 0, "{}", outcome.stderr);
    }
}

/// The other programs, given the rendered task definition with secrets in it.
fn other_programs(search: &mut Search) {
    let rendered = planted()
        .args([
            "render",
            "taskdef.template.json",
            "--var",
            &format!("DB_PASSWORD={DB_PASSWORD}"),
            "--vars-file",
            "vars.env",
            "-o",
            "-",
        ])
        .run("ecs-taskdef");
    let taskdef = rendered.stdout;
    assert!(!taskdef.is_empty(), "{}", rendered.stderr);
    let with = |test: Test| {
        test.file("artifact/taskdef.json", &taskdef)
            .file("artifact/appspec.yaml", fixture("../bundle/appspec.yaml"))
            .file(
                "artifact/imageDetail.json",
                fixture("../bundle/imageDetail.json"),
            )
    };
    for format in ["text", "json", "sarif", "junit"] {
        search.run_with(
            with(planted()),
            "ecs-verify",
            &["--for", "blue-green", "--format", format, "artifact"],
            &[],
        );
        search.run_with(
            with(planted()),
            "ecs-tagcheck",
            &["--format", format, "artifact/taskdef.json"],
            &[],
        );
        search.run_with(
            with(planted()),
            "ecs-imagedefs",
            &["check", "--format", format, "artifact/taskdef.json"],
            &[],
        );
    }
    search.run_with(
        with(planted()),
        "ecs-bundle",
        &[
            "--for",
            "blue-green",
            "--base-dir",
            "artifact",
            "taskdef.json",
            "appspec.yaml",
            "imageDetail.json",
            "-o",
            "a.zip",
        ],
        &["a.zip"],
    );
    search.run_with(
        with(planted()),
        "ecs-appspec",
        &["--taskdef", "artifact/taskdef.json", "-o", "appspec.yaml"],
        &["appspec.yaml"],
    );
    search.run_with(
        with(planted()),
        "ecs-appspec",
        &["check", "artifact/appspec.yaml"],
        &[],
    );
    search.run_with(
        with(planted()),
        "ecs-imagedefs",
        &[
            "--taskdef",
            "artifact/taskdef.json",
            "nosuch=public.ecr.aws/nginx/nginx:1.27",
        ],
        &["imagedefinitions.json"],
    );
    // AWS programs: the credentials are in the environment; the endpoint refuses to connect.
    search.run("ecs-pipeline", &["status", "--pipeline", "web"], &[]);
    search.run(
        "ecs-scaling",
        &["status", "--cluster", "c", "--service", "web"],
        &[],
    );
    search.run(
        "ecs-taskdef",
        &["render", "--from-ecs", "web-service", "-o", "x.json"],
        &["x.json"],
    );
}

#[test]
fn planted_secrets_are_never_printed() {
    let mut search = Search::default();
    task_definitions(&mut search);
    errors(&mut search);
    other_programs(&mut search);
    crate::support::harness::figure(&format!(
        "secrets: {} values planted across {} runs, {} leaked",
        PLANTED.len(),
        search.runs,
        search.leaks.len()
    ));
    assert!(search.leaks.is_empty(), "{}", search.leaks.join("\n~~~\n"));
}

/// A checkout's token in the source URL stays out of the labels and tags that
/// `org.opencontainers.image.source` is stamped into; the repository URL itself is kept.
#[test]
fn the_source_url_is_stamped_without_its_token() {
    let outcome = planted()
        .args([
            "render",
            "taskdef.template.json",
            "--var",
            "DB_PASSWORD=x",
            "--vars-file",
            "vars.env",
            "-o",
            "-",
        ])
        .run("ecs-taskdef");
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert!(!outcome.stdout.contains(SOURCE_TOKEN), "{}", outcome.stdout);
    assert!(
        outcome
            .stdout
            .contains(r#""org.opencontainers.image.source": "https://github.com/o/r.git""#),
        "{}",
        outcome.stdout
    );
}

/// A value of a megabyte in an argument or a file is quoted shortened, not whole.
#[test]
fn a_long_value_is_quoted_shortened() {
    let huge = "c".repeat(1_000_000);
    let taskdef = format!(
        r#"{{"family": "f", "containerDefinitions": [{{"name": "{huge}", "image": "nginx", "memory": 512}}]}}"#
    );
    for format in ["text", "json", "sarif", "junit"] {
        let outcome = Test::new()
            .file("taskdef.json", &taskdef)
            .args(["check", "--format", format, "taskdef.json"])
            .run("ecs-taskdef");
        assert_eq!(outcome.code, 1, "{}", outcome.stderr);
        assert!(
            outcome.stdout.len() + outcome.stderr.len() < 20_000,
            "{format}: {} bytes",
            outcome.stdout.len() + outcome.stderr.len()
        );
    }
    let name = "c".repeat(100_000);
    let image = format!("{name}=public.ecr.aws/nginx/nginx:1.27");
    for (program, args) in [
        (
            "ecs-taskdef",
            vec!["render", "taskdef.template.json", "--image", &image],
        ),
        ("ecs-imagedefs", vec![&image, "-o", "-"]),
        (
            "ecs-pipeline",
            vec!["start", "--pipeline", "p", "--variable", &name],
        ),
    ] {
        let outcome = planted().args(args).run(program);
        assert_ne!(outcome.code, 0, "{program}");
        assert!(
            outcome.stderr.len() < 2_000,
            "{program}: {} bytes of stderr",
            outcome.stderr.len()
        );
    }
}
