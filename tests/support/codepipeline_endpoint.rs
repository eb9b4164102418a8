//! A test endpoint, not a CodePipeline: a small stateful HTTP server on `127.0.0.1` that speaks
//! CodePipeline's JSON 1.1 protocol (`POST /`, `X-Amz-Target: CodePipeline_20150709.<Op>`,
//! JSON bodies, errors as HTTP 400 with `{"__type": …, "message": …}`) for the operations the
//! local moto endpoint lacks: `GetPipelineState`, `PutApprovalResult` and
//! `ListActionExecutions` (`docs/aws/local-endpoint.md#what-moto-lacks-or-accepts-wrongly`: they answer HTTP 500). It also
//! serves `GetPipeline`, `GetPipelineExecution` and `StartPipelineExecution`, so that one
//! program run talks to one endpoint, and records every request for the tests to inspect. Its
//! execution history (`history.rs`) serves `ListPipelineExecutions` and `RollbackStage`, which
//! moto also lacks, and the artifact locations `ListActionExecutions` reports.
//!
//! The programs reach it through `AWS_ENDPOINT_URL_CODEPIPELINE`, so the real SDK client runs
//! with its serialization, signing, retries and error parsing. The pipeline has a source, an
//! approval and a deploy stage; each execution's status follows a script the test gives (one
//! status per `GetPipelineExecution`, the last one repeating), and the approval is in the state
//! the test puts it in.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Value, json};

mod history;

pub(crate) use history::Run;

/// When the deploy action's runs started, in seconds since the epoch.
pub(crate) const DEPLOY_STARTED: i64 = 1_765_108_800;

/// The pipeline's stages and actions: (stage, action, category, provider).
const ACTIONS: [(&str, &str, &str, &str); 3] = [
    ("Source", "Source", "Source", "CodeStarSourceConnection"),
    ("Approve", "Manual", "Approval", "Manual"),
    ("Deploy", "BlueGreen", "Deploy", "CodeDeployToECS"),
];

struct Execution {
    id: String,
    revision: String,
    statuses: VecDeque<&'static str>,
}

#[derive(Default)]
struct State {
    pipeline: String,
    executions: Vec<Execution>,
    /// The approval's latest run: execution id, status, token, error message.
    approval: Option<(String, &'static str, Option<String>, Option<String>)>,
    /// How many of the next `GetPipelineExecution` calls to refuse as throttled.
    throttle: u32,
    /// What `GetPipelineState` answers instead of the pipeline's state, when set.
    pipeline_state_answer: Option<Value>,
    requests: Vec<(String, Value)>,
    /// The deploy action instead of `Deploy/BlueGreen`: name, provider, configuration, and the
    /// external execution id and start time its runs report.
    deploy: Option<(String, String, Value, Option<String>)>,
    /// The executions `ListPipelineExecutions` lists, oldest first.
    history: Vec<Run>,
}

/// The endpoint; it serves until the test process ends.
#[derive(Clone)]
pub(crate) struct Endpoint {
    pub(crate) url: String,
    state: Arc<Mutex<State>>,
}

impl Endpoint {
    /// Serves pipeline `pipeline` with no executions yet.
    pub(crate) fn start(pipeline: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let state = Arc::new(Mutex::new(State {
            pipeline: pipeline.to_owned(),
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        Self { url, state }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds an execution started from `revision` whose status follows `statuses`.
    pub(crate) fn execution(self, id: &str, revision: &str, statuses: &[&'static str]) -> Self {
        self.state().executions.push(Execution {
            id: id.to_owned(),
            revision: revision.to_owned(),
            statuses: statuses.iter().copied().collect(),
        });
        self
    }

    /// Puts the approval's latest run in `status` for `execution`, with a token when waiting.
    pub(crate) fn approval(
        self,
        execution: &str,
        status: &'static str,
        error: Option<&str>,
    ) -> Self {
        let token = (status == "InProgress").then(|| format!("token-{execution}"));
        self.state().approval = Some((
            execution.to_owned(),
            status,
            token,
            error.map(str::to_owned),
        ));
        self
    }

    /// Refuses the next `calls` of `GetPipelineExecution` with `ThrottlingException`.
    pub(crate) fn throttle(self, calls: u32) -> Self {
        self.state().throttle = calls;
        self
    }

    /// Answers `GetPipelineState` with `body` (HTTP 200), whatever the pipeline's state.
    pub(crate) fn state_answer(self, body: Value) -> Self {
        self.state().pipeline_state_answer = Some(body);
        self
    }

    /// Makes the deploy action `name` of `provider` with `configuration`, whose runs report
    /// `external_id` (the deployment it started) and a start time of [`DEPLOY_STARTED`].
    pub(crate) fn deploy_action(
        self,
        name: &str,
        provider: &str,
        configuration: Value,
        external_id: Option<&str>,
    ) -> Self {
        self.state().deploy = Some((
            name.to_owned(),
            provider.to_owned(),
            configuration,
            external_id.map(str::to_owned),
        ));
        self
    }

    /// The bodies of the requests of `operation`, in order.
    pub(crate) fn requests(&self, operation: &str) -> Vec<Value> {
        self.state()
            .requests
            .iter()
            .filter(|(op, _)| op == operation)
            .map(|(_, body)| body.clone())
            .collect()
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    exchange(stream, |operation, body| {
        let mut state = state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.requests.push((operation.to_owned(), body.clone()));
        answer(&mut state, operation, body)
    });
}

/// Reads one JSON 1.1 request from `stream` and writes what `respond` answers to its operation
/// (the `X-Amz-Target` suffix) and body: an HTTP status and a JSON body.
pub(crate) fn exchange(stream: TcpStream, respond: impl FnOnce(&str, &Value) -> (u16, Value)) {
    let mut reader = BufReader::new(stream);
    let (mut target, mut length) = (String::new(), 0_usize);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "x-amz-target" => value.trim().clone_into(&mut target),
                "content-length" => length = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let operation = target.rsplit('.').next().unwrap_or_default();
    let (status, answer) = respond(operation, &body);
    let answer = answer.to_string();
    let reason = if status == 200 { "OK" } else { "Bad Request" };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/x-amz-json-1.1\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let mut stream = reader.into_inner();
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

fn error(code: &str, message: &str) -> (u16, Value) {
    (400, json!({ "__type": code, "message": message }))
}

fn answer(state: &mut State, operation: &str, body: &Value) -> (u16, Value) {
    let name = body["name"].as_str().or(body["pipelineName"].as_str());
    if name != Some(state.pipeline.as_str()) {
        let message = format!("Pipeline not found: {}", name.unwrap_or_default());
        return error("PipelineNotFoundException", &message);
    }
    match operation {
        "GetPipeline" => {
            let mut pipeline = definition(&state.pipeline);
            if let Some((name, provider, configuration, _)) = &state.deploy {
                pipeline["stages"][2]["actions"][0] = json!({
                    "name": name,
                    "actionTypeId": { "category": "Deploy", "owner": "AWS", "provider": provider, "version": "1" },
                    "configuration": configuration,
                });
            }
            (200, json!({ "pipeline": pipeline }))
        }
        "GetPipelineState" => (
            200,
            state
                .pipeline_state_answer
                .clone()
                .unwrap_or_else(|| pipeline_state(state)),
        ),
        "GetPipelineExecution" => get_execution(state, body),
        "ListActionExecutions" => history::action_executions(state, body)
            .unwrap_or_else(|| list_action_executions(state, body)),
        "ListPipelineExecutions" => history::list_executions(state),
        "RollbackStage" => history::rollback(state, body),
        "PutApprovalResult" => put_approval_result(state, body),
        "StartPipelineExecution" => {
            let id = format!("started-{}", state.requests.len());
            (200, json!({ "pipelineExecutionId": id }))
        }
        _ => error("UnknownOperationException", operation),
    }
}

fn definition(pipeline: &str) -> Value {
    let stages: Vec<Value> = ACTIONS
        .iter()
        .map(|(stage, action, category, provider)| {
            json!({ "name": stage, "actions": [{
                "name": action,
                "actionTypeId": { "category": category, "owner": "AWS", "provider": provider, "version": "1" },
            }]})
        })
        .collect();
    json!({
        "name": pipeline,
        "roleArn": "arn:aws:iam::123456789012:role/pipeline",
        "stages": stages,
        "version": 1,
    })
}

fn current_status(execution: &Execution) -> &'static str {
    execution.statuses.front().copied().unwrap_or("InProgress")
}

fn pipeline_state(state: &State) -> Value {
    let latest = state.executions.last();
    let source = latest
        .map(|execution| json!({ "pipelineExecutionId": execution.id, "status": "Succeeded" }));
    let approval = state.approval.as_ref();
    let approve =
        approval.map(|(id, status, _, _)| json!({ "pipelineExecutionId": id, "status": status }));
    let approve_action = approval.map(|(_, status, token, error)| {
        json!({
            "status": status,
            "token": token,
            "errorDetails": error.as_ref().map(|message| json!({ "code": "JobFailed", "message": message })),
        })
    });
    let (deploy, deploy_action) = history::deploy_state(state);
    json!({
        "pipelineName": state.pipeline,
        "pipelineVersion": 1,
        "stageStates": [
            { "stageName": "Source", "latestExecution": source,
              "actionStates": [{ "actionName": "Source", "latestExecution": source.as_ref().map(|_| json!({ "status": "Succeeded" })) }] },
            { "stageName": "Approve", "latestExecution": approve,
              "actionStates": [{ "actionName": "Manual", "latestExecution": approve_action }] },
            { "stageName": "Deploy", "latestExecution": deploy,
              "actionStates": [{ "actionName": "BlueGreen", "latestExecution": deploy_action }] },
        ],
    })
}

fn find<'a>(state: &'a mut State, id: Option<&str>) -> Option<&'a mut Execution> {
    state
        .executions
        .iter_mut()
        .find(|execution| Some(execution.id.as_str()) == id)
}

fn get_execution(state: &mut State, body: &Value) -> (u16, Value) {
    if state.throttle > 0 {
        state.throttle -= 1;
        return error("ThrottlingException", "Rate exceeded");
    }
    let pipeline = state.pipeline.clone();
    let id = body["pipelineExecutionId"].as_str();
    let Some(execution) = find(state, id) else {
        let message = format!("Pipeline execution not found: {}", id.unwrap_or_default());
        return error("PipelineExecutionNotFoundException", &message);
    };
    let status = current_status(execution);
    if execution.statuses.len() > 1 {
        execution.statuses.pop_front();
    }
    let summary = (status != "InProgress" && status != "Succeeded")
        .then(|| format!("execution {}", status.to_lowercase()));
    (
        200,
        json!({ "pipelineExecution": {
            "pipelineName": pipeline,
            "pipelineVersion": 1,
            "pipelineExecutionId": execution.id,
            "status": status,
            "statusSummary": summary,
            "artifactRevisions": [{
                "name": "SourceArtifact",
                "revisionId": execution.revision,
                "revisionSummary": format!("Commit {}", &execution.revision[..7.min(execution.revision.len())]),
            }],
        }}),
    )
}

fn list_action_executions(state: &mut State, body: &Value) -> (u16, Value) {
    let id = body["filter"]["pipelineExecutionId"].as_str();
    let Some(execution) = find(state, id) else {
        return (200, json!({ "actionExecutionDetails": [] }));
    };
    let deploy = match current_status(execution) {
        "Succeeded" => "Succeeded",
        "InProgress" => "InProgress",
        _ => "Failed",
    };
    // Newest first, as the API lists them.
    let mut details = json!([
        { "pipelineExecutionId": execution.id, "stageName": "Deploy", "actionName": "BlueGreen", "status": deploy,
          "output": { "executionResult": { "externalExecutionSummary": "deployment d-1", "externalExecutionUrl": "https://example.com/d-1" } } },
        { "pipelineExecutionId": execution.id, "stageName": "Source", "actionName": "Source", "status": "Succeeded" },
    ]);
    if let Some((name, _, _, external_id)) = &state.deploy {
        details[0]["actionName"] = json!(name);
        details[0]["startTime"] = json!(DEPLOY_STARTED);
        details[0]["output"]["executionResult"]["externalExecutionId"] = json!(external_id);
    }
    (200, json!({ "actionExecutionDetails": details }))
}

fn put_approval_result(state: &mut State, body: &Value) -> (u16, Value) {
    let waiting = state
        .approval
        .as_ref()
        .is_some_and(|(_, status, token, _)| {
            *status == "InProgress" && token.as_deref() == body["token"].as_str()
        });
    if !waiting {
        return error(
            "InvalidApprovalTokenException",
            "The token is not valid for this approval action.",
        );
    }
    if let Some(approval) = state.approval.as_mut() {
        approval.1 = if body["result"]["status"] == "Approved" {
            "Succeeded"
        } else {
            "Failed"
        };
        approval.2 = None;
    }
    (200, json!({ "approvedAt": 1_764_000_000 }))
}
