//! The model pipelines end to end: each buildspec of `buildspecs/` run as CodeBuild runs it
//! (`support/codebuild.rs`) against the local AWS endpoint, with the programs installed by
//! `buildspecs/install.sh` from a release tarball in the local S3, and `docker` replaced by a
//! stand-in that pushes a manifest to the local ECR (`tests/fixtures/codebuild/docker`; no
//! Docker engine exists here). What the builds write is then read by `ecs-verify` with the
//! deploy action's configuration taken from the matching CloudFormation template, and the
//! task definition the Blue/Green action would register is registered on the local endpoint
//! through the AWS CLI, whose API model validates it first.
//!
//! moto has one account, so the dev and production repositories are two repositories of it,
//! and the test copies the image across as ECR replication would.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::codebuild::{Build, Project};
use crate::support::fixtures::ACCOUNT;
use crate::support::harness::Test;
use crate::support::local_aws::aws;

pub(crate) const COMMIT: &str = "4f2a9c1e0b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";
pub(crate) const APP_DIR: &str = "examples/web-service";

pub(crate) fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn region() -> String {
    std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into())
}

/// The release tarball of the programs under test, in the local S3, once per test run:
/// `(url, sha256, version)`. `ECS_DEPLOY_KIT_TARBALL` names one `scripts/release.sh` made
/// (CI does, so that the statically linked programs that ship are the ones run); without it,
/// the tarball is made from the programs this test run built.
fn tools() -> &'static (String, String, String) {
    static TOOLS: OnceLock<(String, String, String)> = OnceLock::new();
    TOOLS.get_or_init(|| {
        // Dropped once the tarball is in S3: the copied debug programs are 400 MiB.
        let staging = tempfile::tempdir().expect("a staging folder");
        let tarball = match std::env::var_os("ECS_DEPLOY_KIT_TARBALL") {
            Some(release) => PathBuf::from(release),
            None => tarball_of_this_build(staging.path()),
        };
        let sha256 = Sha256::digest(fs::read(&tarball).expect("the tarball"))
            .iter()
            .fold(String::new(), |mut hex, byte| {
                let _ = write!(hex, "{byte:02x}");
                hex
            });
        let bucket = crate::support::harness::unique("dk-tools");
        aws(&["s3", "mb", &format!("s3://{bucket}")]);
        let url = format!("s3://{bucket}/ecs-deploy-kit/0.1.0/ecs-deploy-kit-x86_64-linux.tar.gz");
        aws(&[
            "s3",
            "cp",
            "--only-show-errors",
            &tarball.display().to_string(),
            &url,
        ]);
        (url, sha256, "0.1.0".to_owned())
    })
}

/// The test endpoints for what `ecs-verify --live` asks and moto does not answer, shared by
/// every build of the run: IAM's policy simulation (every decision `allowed`) and ECR's layer
/// downloads; each passes every other call of its service on to moto
/// (`docs/aws/local-endpoint.md`). `(IAM, ECR)` URLs.
fn live_check_endpoints() -> &'static (String, String) {
    static ENDPOINTS: OnceLock<(String, String)> = OnceLock::new();
    ENDPOINTS.get_or_init(|| {
        (
            crate::support::iam_endpoint::Endpoint::start().url,
            crate::support::ecr_endpoint::Endpoint::start().url,
        )
    })
}

/// A tarball laid out as `scripts/release.sh` makes it, of the programs this test run built.
fn tarball_of_this_build(staging: &Path) -> PathBuf {
    let bin = staging.join("bin");
    fs::create_dir_all(&bin).expect("bin");
    let built = Path::new(env!("CARGO_BIN_EXE_ecs-verify"))
        .parent()
        .expect("the bin folder");
    for program in [
        "ecs-imagedefs",
        "ecs-taskdef",
        "ecs-appspec",
        "ecs-tagcheck",
        "ecs-bundle",
        "ecs-verify",
        "ecs-pipeline",
        "ecs-scaling",
    ] {
        fs::copy(built.join(program), bin.join(program)).expect("a program");
    }
    let tarball = staging.join("ecs-deploy-kit.tar.gz");
    let status = std::process::Command::new("tar")
        .arg("-czf")
        .arg(&tarball)
        .arg("-C")
        .arg(staging)
        .arg("bin")
        .status()
        .expect("tar runs");
    assert!(status.success(), "tar");
    tarball
}

/// A scratch checkout of an application repository that adopted the kit: the sample service
/// in `examples/web-service` and the `buildspecs/` folder, plus the docker stand-in's state.
pub(crate) struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().expect("a workspace");
        for folder in ["buildspecs", APP_DIR] {
            copy_tree(&root().join(folder), &dir.path().join("src").join(folder));
        }
        fs::create_dir_all(dir.path().join("bin")).expect("bin");
        fs::copy(
            root().join("tests/fixtures/codebuild/docker"),
            dir.path().join("bin/docker"),
        )
        .expect("the docker stand-in");
        super::account::prepare();
        Self { dir }
    }

    pub(crate) fn source(&self) -> PathBuf {
        self.dir.path().join("src")
    }

    pub(crate) fn docker_calls(&self) -> String {
        fs::read_to_string(self.dir.path().join("docker/calls.log")).unwrap_or_default()
    }

    /// A privileged project of a CloudFormation `template` (the promotion, the prod render and
    /// scaling projects) running the buildspec the template carries inline. The workspace's
    /// source loses its `buildspecs/` folder first: nothing a push can change runs in it.
    pub(crate) fn privileged(
        &self,
        template: &str,
        project: &str,
        outputs: &[&str],
        env: &[(&str, &str)],
    ) -> Project {
        let buildspecs = self.source().join("buildspecs");
        if buildspecs.exists() {
            fs::remove_dir_all(&buildspecs).expect("remove buildspecs/");
        }
        let file = self
            .dir
            .path()
            .join(format!("{template}.{project}.buildspec.yml"));
        fs::write(&file, inline_buildspec(template, project)).expect("the inline buildspec");
        self.project(&file.display().to_string(), outputs, env)
    }

    /// A project running `buildspec` in this workspace; `outputs` name its output artifacts.
    pub(crate) fn project(
        &self,
        buildspec: &str,
        outputs: &[&str],
        env: &[(&str, &str)],
    ) -> Project {
        let (url, sha256, version) = tools();
        let home = self.dir.path().join("home");
        // The build's own temporary folder, removed with the workspace: what a buildspec makes
        // with `mktemp` (the release programs it unpacks) must not pile up in the machine's /tmp.
        let temporary = self.dir.path().join("tmp");
        std::fs::create_dir_all(&temporary).expect("the build's temporary folder");
        let path = format!(
            "{}:{}",
            self.dir.path().join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut all: Vec<(String, String)> = vec![
            ("PATH".into(), path),
            ("HOME".into(), home.display().to_string()),
            ("TMPDIR".into(), temporary.display().to_string()),
            (
                "DOCKER_STAND_IN".into(),
                self.dir.path().join("docker").display().to_string(),
            ),
            ("ECS_DEPLOY_KIT_URL".into(), url.clone()),
            ("ECS_DEPLOY_KIT_SHA256".into(), sha256.clone()),
            ("ECS_DEPLOY_KIT_VERSION".into(), version.clone()),
            ("APP_DIR".into(), APP_DIR.into()),
            ("CONTAINER_NAME".into(), "web".into()),
            (
                "CODEBUILD_BUILD_ARN".into(),
                format!(
                    "arn:aws:codebuild:{}:{ACCOUNT}:build/web-service:0b0c",
                    region()
                ),
            ),
        ];
        let (iam, ecr) = live_check_endpoints();
        all.push(("AWS_ENDPOINT_URL_IAM".into(), iam.clone()));
        all.push(("AWS_ENDPOINT_URL_ECR".into(), ecr.clone()));
        all.extend(env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        Project {
            buildspec: buildspec.into(),
            source: self.source(),
            inputs: Vec::new(),
            outputs: outputs.iter().map(|name| (*name).to_owned()).collect(),
            env: all,
            out: self
                .dir
                .path()
                .join("artifacts")
                .join(crate::support::harness::unique("run")),
        }
    }
}

/// The buildspec a CloudFormation template carries inline in `Resources.<project>`
/// (`Source.BuildSpec: |`), as CodeBuild reads it.
fn inline_buildspec(template: &str, project: &str) -> String {
    let path = root()
        .join("pipeline-templates/cloudformation")
        .join(template);
    let text = fs::read_to_string(&path).expect("the template");
    let start = text
        .find(&format!("\n  {project}:\n"))
        .unwrap_or_else(|| panic!("{template} has no {project}"));
    let lines = text[start..]
        .lines()
        .skip_while(|line| line.trim() != "BuildSpec: |")
        .skip(1)
        .take_while(|line| line.is_empty() || line.starts_with("          "));
    let spec = lines
        .map(|line| line.get(10..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        !spec.trim().is_empty(),
        "{template}: {project} has no inline buildspec"
    );
    format!("{}\n", spec.trim_end())
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .map(|e| e.expect("an entry"))
    {
        let target = to.join(entry.path().strip_prefix(from).expect("under from"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("a folder");
        } else {
            fs::copy(entry.path(), &target).expect("a file");
        }
    }
}

pub(crate) fn ecr_repository(name: &str, mutability: &str) -> String {
    let mut args = vec![
        "ecr",
        "create-repository",
        "--repository-name",
        name,
        "--image-tag-mutability",
        mutability,
    ];
    if mutability == "IMMUTABLE_WITH_EXCLUSION" {
        args.extend([
            "--image-tag-mutability-exclusion-filters",
            "filterType=WILDCARD,filter=release",
        ]);
    }
    aws(&args);
    format!("{ACCOUNT}.dkr.ecr.{}.amazonaws.com/{name}", region())
}

pub(crate) fn ecr_digest(repository: &str, tag: &str) -> String {
    let answer: Value = serde_json::from_slice(&aws(&[
        "ecr",
        "describe-images",
        "--repository-name",
        repository,
        "--image-ids",
        &format!("imageTag={tag}"),
    ]))
    .expect("JSON");
    answer["imageDetails"][0]["imageDigest"]
        .as_str()
        .expect("a digest")
        .to_owned()
}

pub(crate) fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .expect("JSON")
}

/// `ecs-verify` over the artifacts of a build, the action read from a template of
/// `pipeline-templates/cloudformation/`.
pub(crate) fn verify_with_template(
    template: &str,
    action: &str,
    artifacts: &[(&str, &Path)],
    extra: &[&str],
) -> Test {
    let mut args: Vec<String> = vec![
        "--pipeline-template".into(),
        root()
            .join("pipeline-templates/cloudformation")
            .join(template)
            .display()
            .to_string(),
        "--action".into(),
        action.into(),
    ];
    args.extend(
        artifacts
            .iter()
            .map(|(name, dir)| format!("{name}={}", dir.display())),
    );
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    Test::new().args(args)
}

pub(crate) fn replicate(from: &str, to: &str, tag: &str) {
    let answer: Value = serde_json::from_slice(&aws(&[
        "ecr",
        "batch-get-image",
        "--repository-name",
        from,
        "--image-ids",
        &format!("imageTag={tag}"),
    ]))
    .expect("JSON");
    let manifest = answer["images"][0]["imageManifest"]
        .as_str()
        .expect("a manifest");
    aws(&[
        "ecr",
        "put-image",
        "--repository-name",
        to,
        "--image-tag",
        tag,
        "--image-manifest",
        manifest,
        "--image-manifest-media-type",
        "application/vnd.oci.image.manifest.v1+json",
    ]);
}

pub(crate) fn assert_junit_reports(build: &Build, names: &[&str]) {
    let reports = &build.reports["checks"];
    for name in names {
        let report = reports
            .iter()
            .find(|path| path.ends_with(name))
            .unwrap_or_else(|| panic!("no report {name} in {reports:?}"));
        let text = fs::read_to_string(report).expect("a report");
        assert!(
            text.starts_with("<?xml") && text.contains("<testsuites"),
            "{name}: {text}"
        );
    }
}
