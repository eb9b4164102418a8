//! `ecs-verify --live`: the account asked about the task definition, each account built by the
//! test itself on the local endpoint with the AWS CLI (`docs/programs/ecs-verify.md#the-account---live`).

use serde_json::{Value, json};

use crate::support::fixtures::{ACCOUNT, MANIFEST};
use crate::support::harness::{Outcome, Test, unique};
use crate::support::iam_endpoint;
use crate::support::local_aws::aws;
use crate::support::resources::efs_file_system;

/// A role trusting `service`, made on the local endpoint; its ARN.
pub(super) fn role(service: &str) -> String {
    role_with(
        &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}),
    )
}

/// A role with the trust policy `trust`, made on the local endpoint; its ARN.
pub(super) fn role_with(trust: &Value) -> String {
    let name = unique("verify-role");
    aws(&[
        "iam",
        "create-role",
        "--role-name",
        &name,
        "--assume-role-policy-document",
        &trust.to_string(),
    ]);
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

/// A log group made on the local endpoint; its name.
pub(super) fn log_group() -> String {
    let name = format!("/ecs/{}", unique("verify"));
    aws(&["logs", "create-log-group", "--log-group-name", &name]);
    name
}

/// An image pushed to a repository of its own with `manifest` (of `media_type`); its URI.
pub(super) fn pushed_image(manifest: &str, media_type: &str) -> String {
    let repository = unique("verify-image");
    aws(&["ecr", "create-repository", "--repository-name", &repository]);
    aws(&[
        "ecr",
        "put-image",
        "--repository-name",
        &repository,
        "--image-tag",
        "4f2a9c1",
        "--image-manifest",
        manifest,
        "--image-manifest-media-type",
        media_type,
    ]);
    // The local endpoint's Region, where the repository was made.
    format!("{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{repository}:4f2a9c1")
}

/// `ecs-verify --live` for the ECS action, with a task definition naming these roles and one
/// container logging to `group` (created by the driver with `create`).
fn verify(task_role: &str, execution_role: &str, group: &str, create: bool) -> Test {
    verify_with(&taskdef(task_role, execution_role, group, create))
}

/// The task definition of [`verify`].
pub(super) fn taskdef(task_role: &str, execution_role: &str, group: &str, create: bool) -> Value {
    let mut options = json!({"awslogs-group": group, "awslogs-stream-prefix": "web"});
    if create {
        options["awslogs-create-group"] = json!("true");
    }
    let taskdef = json!({
        "family": "web",
        "taskRoleArn": task_role,
        "executionRoleArn": execution_role,
        "containerDefinitions": [{
            "name": "web",
            "image": pushed_image(
                MANIFEST,
                "application/vnd.docker.distribution.manifest.v2+json",
            ),
            "essential": true,
            "logConfiguration": {"logDriver": "awslogs", "options": options},
        }],
    });
    taskdef
}

/// `ecs-verify --live` for the ECS action with this task definition; IAM's policy simulation
/// allows everything (`tests/support/iam_endpoint.rs`).
pub(super) fn verify_with(taskdef: &Value) -> Test {
    let image = &taskdef["containerDefinitions"][0]["image"];
    Test::new()
        .file(
            "build/imagedefinitions.json",
            json!([{"name": "web", "imageUri": image}]).to_string(),
        )
        .file("taskdef.json", taskdef.to_string())
        .with_aws()
        .env("AWS_ENDPOINT_URL_IAM", &iam_endpoint::Endpoint::start().url)
        .args([
            "--for",
            "ecs",
            "build",
            "--taskdef",
            "taskdef.json",
            "--live",
        ])
}

pub(super) fn run(test: Test) -> Outcome {
    test.run("ecs-verify")
}

#[test]
fn a_passing_account() {
    let trusting = role("ecs-tasks.amazonaws.com");
    run(verify(&trusting, &trusting, &log_group(), false))
        .success()
        .stderr_has("note: asked the account in `us-east-1` about 2 roles, 1 log groups, 0 secrets and 1 images (--live)");
    // A group the driver creates is not asked about.
    run(verify(
        &trusting,
        &trusting,
        "/ecs/created-by-the-driver",
        true,
    ))
    .success();
}

#[test]
fn a_role_that_does_not_exist() {
    let missing = format!("arn:aws:iam::{ACCOUNT}:role/{}", unique("no-such-role"));
    run(verify(
        &role("ecs-tasks.amazonaws.com"),
        &missing,
        &log_group(),
        false,
    ))
    .code(1)
    .stderr_has("error[role-missing]: `executionRoleArn` role `no-such-role-")
    .stderr_has(&missing);
}

#[test]
fn a_role_that_does_not_trust_ecs_tasks() {
    let ec2 = role("ec2.amazonaws.com");
    let name = ec2.rsplit('/').next().unwrap().to_owned();
    run(verify(
        &ec2,
        &role("ecs-tasks.amazonaws.com"),
        &log_group(),
        false,
    ))
    .code(1)
    .stderr_has(&format!(
        "error[role-trust]: `taskRoleArn` role `{name}` does not trust `ecs-tasks.amazonaws.com`"
    ))
    .stderr_has("help: add a statement to its trust policy");
}

#[test]
fn a_log_group_that_does_not_exist() {
    let trusting = role("ecs-tasks.amazonaws.com");
    let group = format!("/ecs/{}", unique("no-such-group"));
    run(verify(&trusting, &trusting, &group, false))
        .code(1)
        .stderr_has(&format!(
            "error[log-group-missing]: log group `{group}` of container `web` does not exist in `us-east-1`"
        ))
        .stderr_has(&format!("arn:aws:logs:us-east-1:*:log-group:{group}"));
}

/// IAM refuses the read: the project's test endpoint answers `AccessDenied`, which moto does not
/// (`tests/support/denied_endpoint.rs`).
#[test]
fn a_read_the_build_role_is_refused() {
    let trusting = role("ecs-tasks.amazonaws.com");
    let denied = crate::support::denied_endpoint::start();
    run(verify(&trusting, &trusting, &log_group(), false).env("AWS_ENDPOINT_URL_IAM", &denied))
        .code(1)
        .stderr_has("error[live-access-denied]: could not check `taskRoleArn` role `verify-role-")
        .stderr_has("the build role needs `iam:GetRole`");
    run(verify(&trusting, &trusting, &log_group(), false)
        .env("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", &denied))
    .code(1)
    .stderr_has("the build role needs `logs:DescribeLogGroups`");
}

/// Any other AWS error stops the check, exit 2, naming the call.
#[test]
fn an_aws_error_names_the_call() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        format!("http://{}", listener.local_addr().expect("an address"))
    };
    let trusting = role("ecs-tasks.amazonaws.com");
    run(verify(&trusting, &trusting, &log_group(), false)
        .env("AWS_ENDPOINT_URL_IAM", &closed)
        .env("AWS_MAX_ATTEMPTS", "1"))
    .code(2)
    .stderr_has("error: `iam:GetRole` failed");
}

/// A passing account with the secrets `secrets` injected into the container.
pub(super) fn with_secrets(secrets: &Value) -> Test {
    let trusting = role("ecs-tasks.amazonaws.com");
    let mut taskdef = taskdef(&trusting, &trusting, &log_group(), false);
    taskdef["containerDefinitions"][0]["secrets"] = secrets.clone();
    verify_with(&taskdef)
}

/// A secret made on the local endpoint; its ARN.
pub(super) fn secret() -> String {
    let created = aws(&[
        "secretsmanager",
        "create-secret",
        "--name",
        &unique("verify-secret"),
        "--secret-string",
        r#"{"password":"not-a-real-one"}"#,
    ]);
    let created: Value = serde_json::from_slice(&created).expect("create-secret prints JSON");
    created["ARN"].as_str().expect("an ARN").to_owned()
}

#[test]
fn secrets_and_parameters_that_exist() {
    let parameter = format!("/app/{}", unique("verify-parameter"));
    aws(&[
        "ssm",
        "put-parameter",
        "--name",
        &parameter,
        "--type",
        "SecureString",
        "--value",
        "x",
    ]);
    let arn = secret();
    let parameter_arn = format!("arn:aws:ssm:us-east-1:{ACCOUNT}:parameter{parameter}");
    run(with_secrets(&json!([
        {"name": "A", "valueFrom": parameter},
        {"name": "B", "valueFrom": parameter_arn},
        {"name": "C", "valueFrom": format!("{arn}:password:AWSCURRENT:")},
    ])))
    .success()
    .stderr_has("about 2 roles, 1 log groups, 3 secrets and 1 images (--live); not checked, as they are in the values: JSON keys `password`");
}

#[test]
fn a_parameter_that_does_not_exist() {
    let parameter = format!("/app/{}", unique("no-such-parameter"));
    run(with_secrets(&json!([{"name": "A", "valueFrom": parameter}])))
        .code(1)
        .stderr_has(&format!(
            "error[secret-missing]: SSM parameter `{parameter}` of container `web` does not exist in `us-east-1`"
        ));
}

#[test]
fn a_secret_that_does_not_exist_or_lacks_the_stage() {
    let missing =
        format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:no-such-secret-AbCdEf");
    run(with_secrets(&json!([{"name": "A", "valueFrom": missing}])))
        .code(1)
        .stderr_has(&format!(
            "error[secret-missing]: secret `{missing}` of container `web` does not exist"
        ));
    let arn = secret();
    run(with_secrets(
        &json!([{"name": "A", "valueFrom": format!("{arn}::AWSPENDING:")}]),
    ))
    .code(1)
    .stderr_has("error[secret-version]: secret `")
    .stderr_has("has no version staged `AWSPENDING`");
}

/// The image the ECS action deploys is the one of `imagedefinitions.json`, not the one the
/// service's task definition runs now.
#[test]
fn an_image_that_was_never_pushed() {
    let trusting = role("ecs-tasks.amazonaws.com");
    let mut taskdef = taskdef(&trusting, &trusting, &log_group(), false);
    let pushed = taskdef["containerDefinitions"][0]["image"].clone();
    let never = format!("{}-never-pushed", pushed.as_str().unwrap());
    taskdef["containerDefinitions"][0]["image"] = json!(never);
    run(verify_with(&taskdef))
        .code(1)
        .stderr_has(&format!("error[image-missing]: image `{never}` of container `web` is not in repository `verify-image-"))
        .stderr_has(&format!("arn:aws:ecr:us-east-1:{ACCOUNT}:repository/verify-image-"));
    let test = verify_with(&taskdef).file(
        "build/imagedefinitions.json",
        json!([{"name": "web", "imageUri": pushed}]).to_string(),
    );
    run(test).success();
}

#[test]
fn an_image_index_without_the_task_platform() {
    let index = json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 100,
            "digest": format!("sha256:{}", "b".repeat(64)),
            "platform": {"architecture": "amd64", "os": "linux"}}]});
    let image = pushed_image(
        &index.to_string(),
        "application/vnd.oci.image.index.v1+json",
    );
    let trusting = role("ecs-tasks.amazonaws.com");
    let mut taskdef = taskdef(&trusting, &trusting, &log_group(), false);
    taskdef["containerDefinitions"][0]["image"] = json!(image);
    taskdef["runtimePlatform"] =
        json!({"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"});
    run(verify_with(&taskdef)).success();
    taskdef["runtimePlatform"]["cpuArchitecture"] = json!("ARM64");
    run(verify_with(&taskdef))
        .code(1)
        .stderr_has(&format!(
            "error[image-platform]: image `{image}` of container `web` has no `linux/arm64` image (the task's runtimePlatform); it has `linux/amd64`"
        ));
}

/// A task definition with an EFS volume on `file_system` through `access_point`.
fn with_volume(file_system: &str, access_point: &str) -> Test {
    let trusting = role("ecs-tasks.amazonaws.com");
    let mut taskdef = taskdef(&trusting, &trusting, &log_group(), false);
    taskdef["volumes"] = json!([{"name": "data", "efsVolumeConfiguration": {
        "fileSystemId": file_system, "transitEncryption": "ENABLED",
        "authorizationConfig": {"accessPointId": access_point, "iam": "ENABLED"}}}]);
    verify_with(&taskdef)
}

#[test]
fn efs_file_systems_and_access_points() {
    let (file_system, access_point) = efs_file_system();
    run(with_volume(&file_system, &access_point))
        .success()
        .stderr_has("note: asked about 1 EFS volumes (--live)");
    let (other, _) = efs_file_system();
    run(with_volume(&other, &access_point))
        .code(1)
        .stderr_has(&format!(
            "error[efs-access-point-file-system]: EFS access point `{access_point}` of volume `data` belongs to file system `{file_system}`, not `{other}`"
        ));
    run(with_volume("fs-0123456789abcdef0", "fsap-0123456789abcdef0"))
        .code(1)
        .stderr_has("error[efs-file-system-missing]: EFS file system `fs-0123456789abcdef0` of volume `data` does not exist in `us-east-1`")
        .stderr_has("error[efs-access-point-missing]: EFS access point `fsap-0123456789abcdef0` of volume `data` does not exist");
}
