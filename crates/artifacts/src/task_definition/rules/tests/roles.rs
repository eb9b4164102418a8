//! The rules of `roles.rs`: for each, a definition that passes and one that breaks it.

use serde_json::{Value, json};

use super::{ECR, SHA, only, remove, rules, run, set, web_and_sidecar, with};

/// The fixture using everything that needs the execution role: a private ECR image, secrets,
/// log secret options, private registry credentials, an environment file and `awslogs`.
fn everything() -> Value {
    let mut document = web_and_sidecar();
    set(
        &mut document,
        "/containerDefinitions/0/repositoryCredentials",
        json!({"credentialsParameter": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:dockerhub-AbCdEf"}),
    );
    set(
        &mut document,
        "/containerDefinitions/0/environmentFiles",
        json!([{"value": "arn:aws:s3:::web-config/web.env", "type": "s3"}]),
    );
    set(
        &mut document,
        "/containerDefinitions/1/logConfiguration",
        json!({"logDriver": "awslogs", "options": {
            "awslogs-group": "/ecs/web", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "router"
        }}),
    );
    document
}

fn without_role(mut document: Value) -> Value {
    remove(&mut document, "/executionRoleArn");
    document
}

#[test]
fn everything_passes_with_an_execution_role() {
    assert_eq!(run(&everything()), []);
    // The role may be named without its ARN: ECS fills in the account.
    let mut document = everything();
    set(&mut document, "/executionRoleArn", json!("web-execution"));
    assert_eq!(run(&document), []);
}

#[test]
fn each_use_of_the_role_is_named() {
    let findings = run(&without_role(everything()));
    let web = "$.containerDefinitions[0]";
    assert_eq!(
        rules(&findings),
        [
            ("execution-role-ecr", format!("{web}.image")),
            ("execution-role-secrets", format!("{web}.secrets")),
            (
                "execution-role-secrets",
                format!("{web}.logConfiguration.secretOptions")
            ),
            (
                "execution-role-registry-auth",
                format!("{web}.repositoryCredentials")
            ),
            (
                "execution-role-environment-files",
                format!("{web}.environmentFiles")
            ),
            (
                "execution-role-awslogs",
                "$.containerDefinitions[1].logConfiguration.logDriver".to_owned()
            ),
        ]
    );
    assert_eq!(
        findings[0].message,
        format!(
            "container `web` pulls `{ECR}/web@{SHA}` from a private ECR repository on Fargate, Managed \
             Instances or an external instance, which needs the task execution role, but the task definition has no \
             `executionRoleArn`"
        )
    );
    assert_eq!(
        findings[1].message,
        "container `web` reads `secrets` from Secrets Manager or Parameter Store, which needs the \
         task execution role, but the task definition has no `executionRoleArn`"
    );
    // An empty or null role is no role.
    for role in [json!(""), json!(null)] {
        let findings = run(&with("/executionRoleArn", role.clone()));
        assert!(
            findings
                .iter()
                .any(|finding| finding.rule == "execution-role-ecr"),
            "{role}"
        );
    }
}

#[test]
fn ecr_and_awslogs_need_the_role_only_where_aws_hosts_the_agent() {
    // On EC2 the container instance role pulls the image and writes the logs.
    let mut document = without_role(everything());
    for key in ["secrets", "repositoryCredentials", "environmentFiles"] {
        remove(&mut document, &format!("/containerDefinitions/0/{key}"));
    }
    remove(
        &mut document,
        "/containerDefinitions/0/logConfiguration/secretOptions",
    );
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    assert_eq!(run(&document), []);
    set(&mut document, "/networkMode", json!("bridge"));
    remove(&mut document, "/containerDefinitions/0/portMappings");
    remove(&mut document, "/containerDefinitions/1/portMappings");
    for hosted in ["EXTERNAL", "MANAGED_INSTANCES"] {
        set(&mut document, "/requiresCompatibilities", json!([hosted]));
        let findings = run(&document);
        assert_eq!(
            rules(&findings),
            [
                (
                    "execution-role-ecr",
                    "$.containerDefinitions[0].image".to_owned()
                ),
                (
                    "execution-role-awslogs",
                    "$.containerDefinitions[1].logConfiguration.logDriver".to_owned()
                ),
            ],
            "{hosted}"
        );
    }
    // ECR Public needs no credentials.
    let mut document = without_role(web_and_sidecar());
    for key in ["secrets", "logConfiguration"] {
        remove(&mut document, &format!("/containerDefinitions/0/{key}"));
    }
    remove(
        &mut document,
        "/containerDefinitions/1/firelensConfiguration",
    );
    set(
        &mut document,
        "/containerDefinitions/0/image",
        json!("public.ecr.aws/nginx/nginx:1.27"),
    );
    assert_eq!(run(&document), []);
}

#[test]
fn secrets_need_the_role_on_every_launch_type() {
    let mut document = without_role(web_and_sidecar());
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    remove(
        &mut document,
        "/containerDefinitions/0/logConfiguration/secretOptions",
    );
    let finding = only(
        run(&document),
        "execution-role-secrets",
        "$.containerDefinitions[0].secrets",
    );
    assert!(
        finding
            .help
            .is_some_and(|help| help.contains("executionRoleArn"))
    );
    set(&mut document, "/containerDefinitions/0/secrets", json!([]));
    assert_eq!(run(&document), []);
}

#[test]
fn roles_are_iam_role_names_or_arns() {
    for role in [
        "arn:aws:iam::123456789012:role/web-task",
        "arn:aws-cn:iam::123456789012:role/service-role/web+task=1,2.3@x_y",
        "web-task",
        &"r".repeat(64),
    ] {
        assert_eq!(run(&with("/taskRoleArn", json!(role))), [], "{role}");
        assert_eq!(run(&with("/executionRoleArn", json!(role))), [], "{role}");
    }
    let long = "r".repeat(65);
    for (role, problem) in [
        (
            "arn:aws:iam::123456789012:policy/web",
            "is not an IAM role ARN: `policy/web` is not `role/<name>`",
        ),
        (
            "arn:aws:iam::1234:role/web",
            "is not an IAM role ARN: the account `1234` is not 12 digits",
        ),
        (
            "arn:aws:s3:::web-config",
            "is not an IAM role ARN: it is an ARN of `s3`, not of `iam`",
        ),
        (
            "arn:aws:iam:eu-west-1:123456789012:role/web",
            "is not an IAM role ARN: IAM ARNs have no region",
        ),
        (
            "arn:aws:iam::123456789012:role/",
            "is not an IAM role ARN: the role name is empty",
        ),
        (
            "web task",
            "is not an IAM role name: the role name contains ` `",
        ),
        (
            long.as_str(),
            "is not an IAM role name: the role name is 65 characters long; IAM allows at most 64",
        ),
    ] {
        let finding = only(
            run(&with("/taskRoleArn", json!(role))),
            "role-arn",
            "$.taskRoleArn",
        );
        assert_eq!(finding.message, format!("`taskRoleArn` `{role}` {problem}"));
    }
    let finding = only(
        run(&with("/taskRoleArn", json!(""))),
        "role-arn",
        "$.taskRoleArn",
    );
    assert_eq!(finding.message, "`taskRoleArn` is empty");
}
