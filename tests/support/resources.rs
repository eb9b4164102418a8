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

/// An S3 object `key` with a line of environment, in a bucket of its own; its ARN as
/// `environmentFiles` names it.
pub(crate) fn environment_file(key: &str) -> String {
    let bucket = unique("verify-env");
    aws(&["s3api", "create-bucket", "--bucket", &bucket]);
    let body = std::env::temp_dir().join(format!("{bucket}.env"));
    std::fs::write(&body, "LOG_LEVEL=info\n").expect("write the environment file");
    aws(&[
        "s3api",
        "put-object",
        "--bucket",
        &bucket,
        "--key",
        key,
        "--body",
        &body.to_string_lossy(),
    ]);
    let _ = std::fs::remove_file(&body);
    format!("arn:aws:s3:::{bucket}/{key}")
}

/// Pushes `manifest` (a Docker image manifest) to `repository` under `tag`; its digest.
pub(crate) fn put_image(repository: &str, tag: &str, manifest: &str) -> String {
    let pushed: Value = serde_json::from_slice(&aws(&[
        "ecr",
        "put-image",
        "--repository-name",
        repository,
        "--image-tag",
        tag,
        "--image-manifest",
        manifest,
        "--image-manifest-media-type",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]))
    .expect("put-image prints JSON");
    pushed["image"]["imageId"]["imageDigest"]
        .as_str()
        .expect("a digest")
        .to_owned()
}

/// Scans `repository:tag` and has the local endpoint report `counts` (severity → number) for
/// it, through moto's own API for scan results
/// (<https://docs.getmoto.org/en/latest/docs/services/ecr.html>).
pub(crate) fn scan_findings(repository: &str, tag: &str, counts: &Value) {
    let result = json!({"results": [{
        "registryId": super::fixtures::ACCOUNT,
        "repositoryName": repository,
        "imageId": {"imageTag": tag},
        "imageScanStatus": {"status": "COMPLETE", "description": "The scan was completed successfully."},
        "imageScanFindings": {"findings": [], "findingSeverityCounts": counts},
    }], "region": "us-east-1"});
    post_moto_api(
        "/moto-api/static/ecr/scan-finding-results",
        &result.to_string(),
    );
    aws(&[
        "ecr",
        "start-image-scan",
        "--repository-name",
        repository,
        "--image-id",
        &format!("imageTag={tag}"),
    ]);
}

/// A security group in a VPC of its own, apart from the endpoint's default VPC; its id.
pub(crate) fn security_group_in_another_vpc() -> String {
    let vpc = aws(&["ec2", "create-vpc", "--cidr-block", "10.77.0.0/16"]);
    let vpc: Value = serde_json::from_slice(&vpc).expect("JSON");
    let vpc = vpc["Vpc"]["VpcId"].as_str().expect("a VPC id");
    let name = unique("dk-other-vpc");
    let answer = aws(&[
        "ec2",
        "create-security-group",
        "--group-name",
        &name,
        "--description",
        "another VPC",
        "--vpc-id",
        vpc,
    ]);
    let answer: Value = serde_json::from_slice(&answer).expect("JSON");
    answer["GroupId"].as_str().expect("a group id").to_owned()
}

/// POSTs `body` (JSON) to the local endpoint's own API at `path`.
fn post_moto_api(path: &str, body: &str) {
    use std::io::{Read, Write};
    let endpoint = super::local_aws::endpoint();
    let address = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(address).expect("the local endpoint answers");
    let request = format!(
        "POST {path} HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the answer");
    assert!(answer.starts_with("HTTP/1.1 2"), "{path}: {answer}");
}

/// A CodeDeploy Blue/Green setup made on the local endpoint: a load balancer with a
/// production and a test listener, two target groups, a Fargate service `web` routing to
/// container `web` on port 8080, and a deployment group of an ECS application that names them.
pub(crate) struct BlueGreen {
    pub(crate) cluster: String,
    pub(crate) application: String,
    pub(crate) group: String,
    pub(crate) target_groups: [String; 2],
    /// The production listener's ARN, then the test listener's.
    pub(crate) listeners: [String; 2],
    /// The service's subnets, of the endpoint's default VPC.
    pub(crate) subnets: Vec<String>,
    /// The service's security group, of the same VPC.
    pub(crate) security_group: String,
}

/// The parts of a [`BlueGreen`] setup a test changes to make a failing account.
pub(crate) struct BlueGreenSpec {
    /// The target groups' `TargetType`.
    pub(crate) target_type: &'static str,
    /// The service's deployment controller.
    pub(crate) controller: &'static str,
    /// Whether the deployment group has the test listener.
    pub(crate) test_listener: bool,
    /// Whether the cluster has the capacity providers `FARGATE` and `FARGATE_SPOT`.
    pub(crate) capacity_providers: bool,
}

impl Default for BlueGreenSpec {
    fn default() -> Self {
        Self {
            target_type: "ip",
            controller: "CODE_DEPLOY",
            test_listener: true,
            capacity_providers: true,
        }
    }
}

/// Makes a [`BlueGreen`] setup as `spec` says.
pub(crate) fn blue_green(spec: &BlueGreenSpec) -> BlueGreen {
    let vpc = first_id(&aws(&["ec2", "describe-vpcs"]), "Vpcs", "VpcId");
    let subnets: Value = serde_json::from_slice(&aws(&["ec2", "describe-subnets"])).expect("JSON");
    let subnets: Vec<&str> = subnets["Subnets"]
        .as_array()
        .expect("subnets")
        .iter()
        .take(2)
        .filter_map(|subnet| subnet["SubnetId"].as_str())
        .collect();
    let group = first_id(
        &aws(&["ec2", "describe-security-groups"]),
        "SecurityGroups",
        "GroupId",
    );
    let mut create_lb = vec!["elbv2", "create-load-balancer", "--subnets"];
    create_lb.extend(&subnets);
    let name = unique("lb");
    create_lb.extend(["--name", &name]);
    let balancer = first_id(&aws(&create_lb), "LoadBalancers", "LoadBalancerArn");
    let target_groups = ["blue", "green"].map(|color| {
        let name = unique(color);
        aws(&[
            "elbv2",
            "create-target-group",
            "--name",
            &name,
            "--protocol",
            "HTTP",
            "--port",
            "80",
            "--vpc-id",
            &vpc,
            "--target-type",
            spec.target_type,
        ]);
        name
    });
    let target_group_arn = |name: &str| {
        let answer = aws(&["elbv2", "describe-target-groups", "--names", name]);
        first_id(&answer, "TargetGroups", "TargetGroupArn")
    };
    let blue = target_group_arn(&target_groups[0]);
    let listeners = ["80", "8080"].map(|port| {
        let action = format!("Type=forward,TargetGroupArn={blue}");
        let answer = aws(&[
            "elbv2",
            "create-listener",
            "--load-balancer-arn",
            &balancer,
            "--protocol",
            "HTTP",
            "--port",
            port,
            "--default-actions",
            &action,
        ]);
        first_id(&answer, "Listeners", "ListenerArn")
    });
    let cluster = unique("dk-bluegreen");
    let mut create_cluster = vec!["ecs", "create-cluster", "--cluster-name", &cluster];
    if spec.capacity_providers {
        create_cluster.extend(["--capacity-providers", "FARGATE", "FARGATE_SPOT"]);
    }
    aws(&create_cluster);
    let taskdef = json!({
        "family": cluster, "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
        "cpu": "256", "memory": "512",
        "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "essential": true,
            "portMappings": [{"containerPort": 8080}]}],
    });
    aws(&[
        "ecs",
        "register-task-definition",
        "--cli-input-json",
        &taskdef.to_string(),
    ]);
    let service = json!({
        "cluster": cluster, "serviceName": "web", "taskDefinition": cluster, "desiredCount": 0,
        "launchType": "FARGATE", "deploymentController": {"type": spec.controller},
        "loadBalancers": [{"targetGroupArn": blue, "containerName": "web", "containerPort": 8080}],
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [group]}},
    });
    aws(&[
        "ecs",
        "create-service",
        "--cli-input-json",
        &service.to_string(),
    ]);
    let application = unique("dk-app");
    aws(&[
        "deploy",
        "create-application",
        "--application-name",
        &application,
        "--compute-platform",
        "ECS",
    ]);
    let tests: &[String] = if spec.test_listener {
        &listeners[1..]
    } else {
        &[]
    };
    let deployment = deployment_group(
        &application,
        &cluster,
        &target_groups,
        &listeners[..1],
        tests,
    );
    BlueGreen {
        cluster,
        application,
        group: deployment,
        target_groups,
        listeners,
        subnets: subnets.iter().map(|&id| id.to_owned()).collect(),
        security_group: group,
    }
}

/// A deployment group of `application` for service `web` of `cluster`, naming these target
/// groups and listeners (which need not exist: CodeDeploy's own checks are not the endpoint's);
/// its name.
pub(crate) fn deployment_group(
    application: &str,
    cluster: &str,
    target_groups: &[String],
    production: &[String],
    test: &[String],
) -> String {
    let name = unique("dk-group");
    let mut pair = json!({
        "targetGroups": target_groups.iter().map(|name| json!({"name": name})).collect::<Vec<_>>(),
        "prodTrafficRoute": {"listenerArns": production},
    });
    if !test.is_empty() {
        pair["testTrafficRoute"] = json!({"listenerArns": test});
    }
    let group = json!({
        "applicationName": application, "deploymentGroupName": name,
        "serviceRoleArn": "arn:aws:iam::123456789012:role/codedeploy",
        "deploymentStyle": {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
        "ecsServices": [{"clusterName": cluster, "serviceName": "web"}],
        "autoRollbackConfiguration": {"enabled": true, "events": ["DEPLOYMENT_FAILURE"]},
        "loadBalancerInfo": {"targetGroupPairInfoList": [pair]},
    });
    aws(&[
        "deploy",
        "create-deployment-group",
        "--cli-input-json",
        &group.to_string(),
    ]);
    name
}

/// An EFS file system with an access point, made on the local endpoint; their ids.
pub(crate) fn efs_file_system() -> (String, String) {
    let created = aws(&[
        "efs",
        "create-file-system",
        "--creation-token",
        &unique("dk-efs"),
    ]);
    let file_system: Value = serde_json::from_slice(&created).expect("JSON");
    let file_system = file_system["FileSystemId"]
        .as_str()
        .expect("an id")
        .to_owned();
    let created = aws(&[
        "efs",
        "create-access-point",
        "--file-system-id",
        &file_system,
    ]);
    let access_point: Value = serde_json::from_slice(&created).expect("JSON");
    let access_point = access_point["AccessPointId"]
        .as_str()
        .expect("an id")
        .to_owned();
    (file_system, access_point)
}
