//! What the tests of the `aws` target set up on the local endpoint with the AWS CLI: an ECS
//! service (with or without a scalable target) and a CodePipeline pipeline. Every resource has
//! a name of its own, so tests run in parallel on one endpoint without resetting it.

use serde_json::{Value, json};

use super::harness::unique;
use super::local_aws::aws;

fn first_id(answer: &[u8], list: &str, field: &str) -> String {
    let answer: Value = serde_json::from_slice(answer).expect("JSON");
    answer[list][0][field]
        .as_str()
        .unwrap_or_else(|| panic!("no {list}[0].{field} in {answer}"))
        .to_owned()
}

/// Creates a cluster with a Fargate service `web` in moto's default VPC, and with `scalable`
/// a scalable target for its desired count (min 1, max 4); returns the cluster name.
pub(crate) fn service(scalable: bool) -> String {
    let cluster = service_running("nginx:1.27", "2");
    if scalable {
        aws(&[
            "application-autoscaling",
            "register-scalable-target",
            "--service-namespace",
            "ecs",
            "--scalable-dimension",
            "ecs:service:DesiredCount",
            "--resource-id",
            &format!("service/{cluster}/web"),
            "--min-capacity",
            "1",
            "--max-capacity",
            "4",
        ]);
    }
    cluster
}

/// Creates a cluster with a Fargate service `web` running `image`, `desired` tasks of it; moto
/// starts none, so its deployment has completed only when `desired` is `0`. Returns the
/// cluster name.
pub(crate) fn service_running(image: &str, desired: &str) -> String {
    let cluster = unique("dk-scaling");
    aws(&["ecs", "create-cluster", "--cluster-name", &cluster]);
    let taskdef = json!({
        "family": cluster,
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": [{ "name": "web", "image": image, "essential": true }],
    });
    aws(&[
        "ecs",
        "register-task-definition",
        "--cli-input-json",
        &taskdef.to_string(),
    ]);
    let subnet = first_id(&aws(&["ec2", "describe-subnets"]), "Subnets", "SubnetId");
    let group = first_id(
        &aws(&["ec2", "describe-security-groups"]),
        "SecurityGroups",
        "GroupId",
    );
    let network = format!(
        "awsvpcConfiguration={{subnets=[{subnet}],securityGroups=[{group}],assignPublicIp=DISABLED}}"
    );
    aws(&[
        "ecs",
        "create-service",
        "--cluster",
        &cluster,
        "--service-name",
        "web",
        "--task-definition",
        &cluster,
        "--desired-count",
        desired,
        "--launch-type",
        "FARGATE",
        "--network-configuration",
        &network,
    ]);
    cluster
}

/// What the AWS CLI sees: the three switches, in the API's order.
pub(crate) fn suspended_state(cluster: &str) -> Value {
    let answer: Value = serde_json::from_slice(&aws(&[
        "application-autoscaling",
        "describe-scalable-targets",
        "--service-namespace",
        "ecs",
        "--resource-ids",
        &format!("service/{cluster}/web"),
    ]))
    .expect("JSON");
    answer["ScalableTargets"][0]["SuspendedState"].clone()
}
/// Creates a two-stage pipeline (moto wants at least two) and the role it needs; moto accepts
/// the role only when its trust policy names the service as a string, not a list
/// (`docs/aws/local-endpoint.md#what-moto-lacks-or-accepts-wrongly`).
pub(crate) fn create_pipeline(name: &str) {
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "codepipeline.amazonaws.com" },
            "Action": "sts:AssumeRole",
        }],
    });
    let role: Value = serde_json::from_slice(&aws(&[
        "iam",
        "create-role",
        "--role-name",
        name,
        "--assume-role-policy-document",
        &trust.to_string(),
    ]))
    .expect("create-role prints JSON");
    let action = |name: &str, category: &str, provider: &str, configuration: Value| {
        json!({
            "name": name,
            "actionTypeId": { "category": category, "owner": "AWS", "provider": provider, "version": "1" },
            "configuration": configuration,
        })
    };
    let mut source = action(
        "Source",
        "Source",
        "S3",
        json!({ "S3Bucket": "artifacts", "S3ObjectKey": "source.zip" }),
    );
    source["outputArtifacts"] = json!([{ "name": "SourceArtifact" }]);
    let mut deploy = action(
        "Deploy",
        "Deploy",
        "ECS",
        json!({ "ClusterName": "prod", "ServiceName": "web" }),
    );
    deploy["inputArtifacts"] = json!([{ "name": "SourceArtifact" }]);
    let pipeline = json!({
        "name": name,
        "roleArn": role["Role"]["Arn"],
        "artifactStore": { "type": "S3", "location": "artifacts" },
        "stages": [
            { "name": "Source", "actions": [source] },
            { "name": "Deploy", "actions": [deploy] },
        ],
    });
    aws(&[
        "codepipeline",
        "create-pipeline",
        "--pipeline",
        &pipeline.to_string(),
    ]);
}
