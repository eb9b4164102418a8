//! Autoscaling resumed whatever ends a production execution other than success, not only by a
//! stage rollback (which needs an earlier success in the current pipeline structure,
//! <https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html>): the prod
//! template's scaling project suspends scaling through the CodeBuild emulator, the template's
//! events rule is matched against the event CodePipeline sends when the execution ends
//! (a rule with that pattern on the local event bus), and the resume function the rule targets
//! (`pipeline-templates/terraform/prod/resume_scaling/index.py`, inline in the CloudFormation
//! template) runs against the local endpoint.

use std::process::Command;

use serde_json::{Value, json};

use super::workspace::{Workspace, region, root};
use crate::support::fixtures::ACCOUNT;
use crate::support::local_aws::aws;
use crate::support::resources::{service, suspended_state};

const PIPELINE: &str = "web-service-prod";

/// The ends of an execution after which scaling would otherwise stay suspended: (what
/// happened, the execution's final state, what started the execution).
const ENDS: [(&str, &str, &str); 4] = [
    (
        "the first run fails: no earlier success to roll back to",
        "FAILED",
        "StartPipelineExecution",
    ),
    (
        "the execution is stopped",
        "STOPPED",
        "StartPipelineExecution",
    ),
    (
        "the rollback's own deployment fails",
        "FAILED",
        "AutomatedRollback",
    ),
    (
        "the last success's artifacts expired: no rollback starts",
        "FAILED",
        "CloudWatchEvent",
    ),
];

/// The event CodePipeline sends when an execution changes state
/// (<https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html>).
fn execution_event(state: &str, trigger: &str) -> Value {
    json!({
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "CodePipeline Pipeline Execution State Change",
        "source": "aws.codepipeline",
        "account": ACCOUNT,
        "time": "2026-11-26T20:04:00Z",
        "region": region(),
        "resources": [format!("arn:aws:codepipeline:{}:{ACCOUNT}:{PIPELINE}", region())],
        "detail": {
            "pipeline": PIPELINE,
            "execution-id": "01234567-0123-0123-0123-012345678901",
            "execution-trigger": {"trigger-type": trigger},
            "state": state,
            "version": 3.0,
        },
    })
}

/// `Resources.ResumeScalingRule.Properties.EventPattern` of the prod template, with its
/// `!Sub` resolved for this account, Region and pipeline.
fn rule_pattern() -> Value {
    let text = std::fs::read_to_string(
        root().join("pipeline-templates/cloudformation/prod-pipeline.yaml"),
    )
    .expect("the prod template");
    let rule = text.find("\n  ResumeScalingRule:\n").expect("the rule");
    let block: String = text[rule..]
        .lines()
        .skip_while(|line| line.trim() != "EventPattern:")
        .skip(1)
        .take_while(|line| line.starts_with("        "))
        .map(|line| line.replacen("!Sub ", "", 1))
        .collect::<Vec<_>>()
        .join("\n");
    let resolved = block
        .replace("${AWS::Partition}", "aws")
        .replace("${AWS::Region}", &region())
        .replace("${AWS::AccountId}", ACCOUNT)
        .replace("${Pipeline}", PIPELINE);
    serde_saphyr::from_str(&resolved).expect("the rule's pattern as YAML")
}

/// Whether a rule with `pattern` routes `event`: moto has no `TestEventPattern`, so the rule is
/// created with a queue as its target, the event put on the bus, and the queue read.
fn matches(pattern: &Value, event: &Value) -> bool {
    let name = crate::support::harness::unique("dk-resume");
    let queue: Value =
        serde_json::from_slice(&aws(&["sqs", "create-queue", "--queue-name", &name]))
            .expect("JSON");
    let url = queue["QueueUrl"].as_str().expect("a queue URL");
    let attributes: Value = serde_json::from_slice(&aws(&[
        "sqs",
        "get-queue-attributes",
        "--queue-url",
        url,
        "--attribute-names",
        "QueueArn",
    ]))
    .expect("JSON");
    let arn = attributes["Attributes"]["QueueArn"]
        .as_str()
        .expect("a queue ARN");
    aws(&[
        "events",
        "put-rule",
        "--name",
        &name,
        "--event-pattern",
        &pattern.to_string(),
    ]);
    aws(&[
        "events",
        "put-targets",
        "--rule",
        &name,
        "--targets",
        &format!("Id=queue,Arn={arn}"),
    ]);
    let entry = json!([{
        "Source": event["source"],
        "DetailType": event["detail-type"],
        "Resources": event["resources"],
        "Detail": event["detail"].to_string(),
    }]);
    aws(&["events", "put-events", "--entries", &entry.to_string()]);
    let received: Value = serde_json::from_slice(&aws(&[
        "sqs",
        "receive-message",
        "--queue-url",
        url,
        "--wait-time-seconds",
        "1",
    ]))
    .unwrap_or(Value::Null);
    received["Messages"]
        .as_array()
        .is_some_and(|messages| !messages.is_empty())
}

/// Runs the resume function's handler on `event`, as Lambda would with the template's
/// `RESOURCE_ID`. moto has no CodeDeploy lifecycle hooks, so for a hook event the CodeDeploy
/// client is botocore's `Stubber`, which fails unless the handler reports the hook `Succeeded`
/// for that deployment.
fn resume_function(cluster: &str, event: &Value) {
    const RUN: &str = r#"
import json, runpy, sys
import boto3
from botocore.stub import Stubber

event = json.loads(sys.argv[2])
stubs, client = [], boto3.client

def stubbed(name, *args, **kwargs):
    made = client(name, *args, **kwargs)
    if name == "codedeploy":
        stub = Stubber(made)
        hook = event["LifecycleEventHookExecutionId"]
        stub.add_response(
            "put_lifecycle_event_hook_execution_status",
            {"lifecycleEventHookExecutionId": hook},
            {"deploymentId": event["DeploymentId"], "lifecycleEventHookExecutionId": hook, "status": "Succeeded"},
        )
        stub.activate()
        stubs.append(stub)
    return made

boto3.client = stubbed
runpy.run_path(sys.argv[1])["handler"](event, None)
assert bool(stubs) == ("LifecycleEventHookExecutionId" in event), "the hook's status was not reported"
for stub in stubs:
    stub.assert_no_pending_responses()
"#;
    let code = root().join("pipeline-templates/terraform/prod/resume_scaling/index.py");
    let output = Command::new("python3")
        .arg("-c")
        .arg(RUN)
        .arg(&code)
        .arg(event.to_string())
        .env("RESOURCE_ID", format!("service/{cluster}/web"))
        .output()
        .expect("python3 from the test environment");
    assert!(
        output.status.success(),
        "the resume function failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Suspends the service's scaling as the Deploy stage's `SuspendScaling` action does.
fn suspend(workspace: &Workspace, cluster: &str) {
    workspace
        .privileged(
            "prod-pipeline.yaml",
            "ScalingProject",
            &[],
            &[
                ("CLUSTER_NAME", cluster),
                ("SERVICE_NAME", "web"),
                ("SCALING_ACTION", "suspend"),
            ],
        )
        .run()
        .assert_succeeded();
    assert_eq!(
        suspended_state(cluster)["DynamicScalingInSuspended"],
        json!(true)
    );
}

const RESUMED: &str = r#"{"DynamicScalingInSuspended": false, "DynamicScalingOutSuspended": false, "ScheduledScalingSuspended": false}"#;

#[test]
fn scaling_is_resumed_whatever_ends_the_execution() {
    let workspace = Workspace::new();
    let pattern = rule_pattern();
    for (what, state, trigger) in ENDS {
        let cluster = service(true);
        suspend(&workspace, &cluster);
        let event = execution_event(state, trigger);
        assert!(
            matches(&pattern, &event),
            "{what}: the rule does not match {event}"
        );
        resume_function(&cluster, &event);
        assert_eq!(
            suspended_state(&cluster),
            serde_json::from_str::<Value>(RESUMED).expect("JSON"),
            "{what}"
        );
    }
    // A success ends with the pipeline's own ResumeScaling action; the rule stays quiet.
    assert!(!matches(
        &pattern,
        &execution_event("SUCCEEDED", "StartPipelineExecution")
    ));
}

/// Scaling is back as soon as production traffic has shifted, not after the deployment's
/// termination wait: CodeDeploy invokes the render step's `AfterAllowTraffic` hook (the function
/// `prod_render_is_what_the_blue_green_action_registers` finds in appspec.yaml) with its
/// lifecycle event (<https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#reference-appspec-file-structure-hooks-section-structure-ecs-sample-function>),
/// and the function resumes scaling and reports the hook.
#[test]
fn scaling_resumes_as_soon_as_traffic_has_shifted() {
    let workspace = Workspace::new();
    let cluster = service(true);
    suspend(&workspace, &cluster);
    let event = json!({
        "DeploymentId": "d-ABCDEF123",
        "LifecycleEventHookExecutionId": "eyJlbmNyeXB0ZWREYXRhIjoiQUFBQSJ9",
    });
    resume_function(&cluster, &event);
    assert_eq!(
        suspended_state(&cluster),
        serde_json::from_str::<Value>(RESUMED).expect("JSON")
    );
}
