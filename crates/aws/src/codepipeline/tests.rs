//! The adapters over real HTTP, against canned CodePipeline answers.

use super::*;
use crate::testing::{config, response, serve_once};

const JSON: &str = "Content-Type: application/x-amz-json-1.1\r\n";

#[tokio::test]
async fn a_pending_approval_comes_with_its_token_and_execution() {
    let body = r#"{"pipelineName": "web", "stageStates": [{"stageName": "Approve",
        "latestExecution": {"pipelineExecutionId": "e-1", "status": "InProgress"},
        "actionStates": [{"actionName": "Manual", "latestExecution":
            {"status": "InProgress", "token": "t-1", "summary": "waiting"}}]}]}"#;
    let server = serve_once(response("200 OK", JSON, body));
    let api = super::client(&config(&format!("http://127.0.0.1:{}", server.port)));
    let states = stage_states(&api, "web").await.unwrap();
    let head = server.request.join().unwrap();
    assert!(
        head.contains("x-amz-target: CodePipeline_20150709.GetPipelineState"),
        "{head}"
    );
    assert_eq!(states[0].execution_id.as_deref(), Some("e-1"));
    let action = &states[0].actions[0];
    assert_eq!(action.status.as_deref(), Some("InProgress"));
    assert_eq!(action.token.as_deref(), Some("t-1"));
}

#[tokio::test]
async fn a_stale_token_keeps_its_error_code() {
    let body = r#"{"__type": "InvalidApprovalTokenException", "message": "Token invalid."}"#;
    let server = serve_once(response("400 Bad Request", JSON, body));
    let api = super::client(&config(&format!("http://127.0.0.1:{}", server.port)));
    let approval = Approval {
        pipeline: "web",
        stage: "Approve",
        action: "Manual",
        token: "t-0",
    };
    let error = put_approval(&api, &approval, true, "ok").await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidApprovalTokenException"));
    assert_eq!(
        error.to_string(),
        "`codepipeline:PutApprovalResult` failed with `InvalidApprovalTokenException`: \
         token invalid (pipeline `web`)"
    );
}
