//! `ecs-verify --live`: the roles' trust conditions and accounts, what IAM's policy simulation
//! lets the execution role do (`tests/support/iam_endpoint.rs`), the private registry's
//! credentials and the environment files, each account built by the test itself
//! (`docs/programs/ecs-verify.md#the-account---live`).

use serde_json::{Value, json};

use super::account::{log_group, role, role_with, run, secret, taskdef, verify_with};
use crate::support::fixtures::ACCOUNT;
use crate::support::harness::unique;
use crate::support::iam_endpoint::Endpoint;
use crate::support::local_aws::aws;
use crate::support::resources::environment_file;

/// A trust policy for ECS tasks under `condition`.
fn trusting_under(condition: &Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
        "Condition": condition}]})
}

/// A passing task definition whose execution role is `execution`.
fn with_execution_role(execution: &str) -> Value {
    taskdef(
        &role("ecs-tasks.amazonaws.com"),
        execution,
        &log_group(),
        false,
    )
}

#[test]
fn trust_conditions_on_the_source_account_and_arn() {
    let this = role_with(&trusting_under(&json!({
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": format!("arn:aws:ecs:us-east-1:{ACCOUNT}:*")},
    })));
    run(verify_with(&with_execution_role(&this))).success();
    let elsewhere = role_with(&trusting_under(&json!({
        "StringEquals": {"aws:SourceAccount": "999999999999"},
    })));
    let name = elsewhere.rsplit('/').next().unwrap().to_owned();
    run(verify_with(&with_execution_role(&elsewhere)))
        .code(1)
        .stderr_has(&format!(
            "error[role-trust-condition]: `executionRoleArn` role `{name}` trusts \
             `ecs-tasks.amazonaws.com` only under `StringEquals aws:SourceAccount \
             \"999999999999\"`, which tasks of account `{ACCOUNT}` in `us-east-1` do not meet"
        ));
    let one_cluster = role_with(&trusting_under(&json!({
        "ArnLike": {"aws:SourceArn": format!("arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/prod")},
    })));
    run(verify_with(&with_execution_role(&one_cluster)))
        .success()
        .stderr_has("warning[role-trust-undecided]: `executionRoleArn` role `")
        .stderr_has("which could not be decided here");
}

#[test]
fn a_role_in_another_account_is_not_checkable() {
    let trusting = role("ecs-tasks.amazonaws.com");
    let other = "arn:aws:iam::210987654321:role/shared-task";
    run(verify_with(&taskdef(other, &trusting, &log_group(), false)))
        .success()
        .stderr_has(
            "warning[role-other-account]: `taskRoleArn` role `shared-task` is in account \
             `210987654321`, not the caller's: it could not be checked",
        );
}

/// A secret encrypted with a customer managed key of its own, made on the local endpoint; its
/// ARN.
fn secret_with_customer_key() -> String {
    let key: Value = serde_json::from_slice(&aws(&["kms", "create-key"])).expect("JSON");
    let key = key["KeyMetadata"]["KeyId"].as_str().expect("a key id");
    let created: Value = serde_json::from_slice(&aws(&[
        "secretsmanager",
        "create-secret",
        "--name",
        &unique("verify-secret"),
        "--kms-key-id",
        key,
        "--secret-string",
        "not-a-real-one",
    ]))
    .expect("create-secret prints JSON");
    created["ARN"].as_str().expect("an ARN").to_owned()
}

#[test]
fn what_the_execution_role_may_not_do() {
    let execution = role("ecs-tasks.amazonaws.com");
    let arn = secret_with_customer_key();
    let mut definition = with_execution_role(&execution);
    definition["containerDefinitions"][0]["secrets"] =
        json!([{"name": "DB", "valueFrom": arn.clone()}]);
    let allowing = Endpoint::start();
    run(verify_with(&definition).env("AWS_ENDPOINT_URL_IAM", &allowing.url))
        .success()
        .stderr_has("IAM simulated 5 permissions of the execution role (--live)");
    assert_eq!(allowing.simulations(), 5);
    let denying = Endpoint::start()
        .decide(
            "ecr:GetDownloadUrlForLayer",
            ":repository/verify-image-",
            "implicitDeny",
        )
        .decide("secretsmanager:GetSecretValue", &arn, "explicitDeny")
        .decide("kms:Decrypt", ":key/", "implicitDeny")
        .decide("logs:PutLogEvents", ":log-group:/ecs/", "implicitDeny");
    let image = definition["containerDefinitions"][0]["image"]
        .as_str()
        .unwrap()
        .to_owned();
    run(verify_with(&definition).env("AWS_ENDPOINT_URL_IAM", &denying.url))
        .code(1)
        .stderr_has(&format!(
            "error[execution-role-permission]: execution role `{execution}` may not \
             `ecr:GetDownloadUrlForLayer` on `arn:aws:ecr:us-east-1:{ACCOUNT}:repository/verify-image-"
        ))
        .stderr_has(&format!("(implicitDeny), which it needs to pull image `{image}`"))
        .stderr_has(&format!(
            "may not `secretsmanager:GetSecretValue` on `{arn}` (explicitDeny)"
        ))
        .stderr_has("help: remove or narrow the statement that denies")
        .stderr_has(&format!("may not `kms:Decrypt` on `arn:aws:kms:us-east-1:{ACCOUNT}:key/"))
        .stderr_has("may not `logs:PutLogEvents` on `arn:aws:logs:us-east-1:")
        .stderr_has("help: allow it in the execution role's policy: {\"Effect\": \"Allow\"");
    let refusing = Endpoint::start().refusing();
    run(verify_with(&definition).env("AWS_ENDPOINT_URL_IAM", &refusing.url))
        .code(1)
        .stderr_has(&format!(
            "error[live-access-denied]: could not check what execution role `{execution}` may \
             do: the build role needs `iam:SimulatePrincipalPolicy`"
        ));
}

#[test]
fn registry_credentials_and_environment_files() {
    let execution = role("ecs-tasks.amazonaws.com");
    let mut definition = with_execution_role(&execution);
    definition["containerDefinitions"][0]["repositoryCredentials"] =
        json!({"credentialsParameter": secret()});
    let file = environment_file("web/app.env");
    definition["containerDefinitions"][0]["environmentFiles"] =
        json!([{"value": file, "type": "s3"}]);
    run(verify_with(&definition))
        .success()
        .stderr_has("1 secrets and 1 images (--live)");
    let missing_secret = format!(
        "arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:{}-AbCdEf",
        unique("no-such-login")
    );
    definition["containerDefinitions"][0]["repositoryCredentials"] =
        json!({"credentialsParameter": missing_secret});
    let missing_file = format!("{file}.missing");
    definition["containerDefinitions"][0]["environmentFiles"] =
        json!([{"value": missing_file, "type": "s3"}]);
    run(verify_with(&definition))
        .code(1)
        .stderr_has(&format!(
            "error[secret-missing]: secret `{missing_secret}` of container `web` does not exist"
        ))
        .stderr_has(&format!(
            "error[environment-file-missing]: environment file `{missing_file}` of container \
             `web` does not exist"
        ));
}
