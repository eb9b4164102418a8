use serde_json::json;

use super::*;
use crate::verify::live::roles::Role;
use crate::verify::live::secrets::SecretVersions;

const ROLE: &str = "arn:aws:iam::123456789012:role/web-execution";

fn snapshot(questions: &Questions) -> Snapshot {
    Snapshot {
        account: Some("123456789012".to_owned()),
        region: "eu-west-1".to_owned(),
        roles: questions
            .roles
            .iter()
            .map(|question| {
                let role = Role {
                    arn: ROLE.to_owned(),
                    trust_policy: String::new(),
                };
                (question.clone(), Some(Fact::Found(role)))
            })
            .collect(),
        secrets: questions
            .secrets
            .iter()
            .map(|question| {
                let versions = SecretVersions {
                    arn: Some(format!("{}-AbCdEf", question.value_from)),
                    kms_key_id: Some("0d9b6f4e".to_owned()),
                    ..SecretVersions::default()
                };
                (question.clone(), Fact::Found(versions))
            })
            .collect(),
        ..Snapshot::default()
    }
}

#[test]
fn asks_for_each_resource_the_execution_role_needs() {
    let document = json!({
        "executionRoleArn": ROLE,
        "containerDefinitions": [{
            "name": "web",
            "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1",
            "secrets": [
                {"name": "A", "valueFrom": "/app/url"},
                {"name": "B", "valueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"},
            ],
            "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": "/ecs/web", "awslogs-create-group": "true"}},
            "environmentFiles": [{"value": "arn:aws:s3:::config/web.env", "type": "s3"}],
        }],
    });
    let questions = crate::verify::live::questions(&document, "eu-west-1");
    let asked = super::questions(&questions, &snapshot(&questions));
    let found: Vec<_> = asked
        .iter()
        .map(|q| (q.resource.as_str(), q.actions.join(",")))
        .collect();
    assert_eq!(
        found,
        [
            (
                "arn:aws:ecr:eu-west-1:123456789012:repository/web",
                "ecr:BatchGetImage,ecr:GetDownloadUrlForLayer".to_owned()
            ),
            ("*", "ecr:GetAuthorizationToken".to_owned()),
            (
                "arn:aws:ssm:eu-west-1:123456789012:parameter/app/url",
                "ssm:GetParameters".to_owned()
            ),
            (
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
                "secretsmanager:GetSecretValue".to_owned()
            ),
            (
                "arn:aws:kms:eu-west-1:123456789012:key/0d9b6f4e",
                "kms:Decrypt".to_owned()
            ),
            (
                "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/web:*",
                "logs:CreateLogStream,logs:PutLogEvents,logs:CreateLogGroup".to_owned()
            ),
            ("arn:aws:s3:::config/web.env", "s3:GetObject".to_owned()),
            ("arn:aws:s3:::config", "s3:GetBucketLocation".to_owned()),
        ]
    );
    assert!(asked.iter().all(|q| q.role == ROLE));
    let mut missing_role = snapshot(&questions);
    missing_role.roles[0].1 = Some(Fact::Missing);
    assert!(super::questions(&questions, &missing_role).is_empty());
}

#[test]
fn judges_each_denied_decision() {
    let question = PermissionQuestion {
        role: ROLE.to_owned(),
        resource: "arn:aws:ecr:eu-west-1:123456789012:repository/web".to_owned(),
        actions: registry::PULL.to_vec(),
        purpose: "pull image `web`".to_owned(),
    };
    let decision = |action: &str, decision: &str| Decision {
        action: action.to_owned(),
        resource: question.resource.clone(),
        decision: decision.to_owned(),
    };
    let found = judge(&[
        (
            question.clone(),
            Fact::Found(vec![
                decision("ecr:BatchGetImage", "allowed"),
                decision("ecr:GetDownloadUrlForLayer", "implicitDeny"),
            ]),
        ),
        (
            question.clone(),
            Fact::Found(vec![decision("ecr:BatchGetImage", "explicitDeny")]),
        ),
        (
            question.clone(),
            Fact::Denied {
                action: "iam:SimulatePrincipalPolicy",
            },
        ),
        (
            question,
            Fact::Denied {
                action: "iam:SimulatePrincipalPolicy",
            },
        ),
    ]);
    let rules: Vec<_> = found.iter().map(|f| f.finding.rule).collect();
    assert_eq!(
        rules,
        [
            "execution-role-permission",
            "execution-role-permission",
            "live-access-denied"
        ]
    );
    assert_eq!(
        found[0].finding.message,
        format!(
            "execution role `{ROLE}` may not `ecr:GetDownloadUrlForLayer` on \
             `arn:aws:ecr:eu-west-1:123456789012:repository/web` (implicitDeny), which it needs \
             to pull image `web`: the task fails to start"
        )
    );
    assert!(
        found[1]
            .finding
            .help
            .as_deref()
            .unwrap()
            .starts_with("remove or narrow")
    );
}
