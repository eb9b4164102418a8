//! A test endpoint, not ECS nor CodeDeploy: a small HTTP server on `127.0.0.1` that speaks the
//! JSON 1.1 protocol both use (`POST /`, `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Op>`
//! or `CodeDeploy_20141006.<Op>`), for the state changes the local moto endpoint never makes:
//! a rollout that ends `FAILED`, the circuit breaker's rollback, tasks that stop with reasons,
//! service events, and CodeDeploy's lifecycle events and task sets
//! and the service deployments of ECS-native blue/green with their lifecycle stage and alarms
//! (`docs/aws/local-endpoint.md#what-moto-lacks-or-accepts-wrongly`).
//!
//! Each follows a timeline the test scripts: every `DescribeServices` (for ECS) or
//! `GetDeployment` (for CodeDeploy) moves to the next step, the last one repeating. Shapes as in
//! the botocore models `ecs/2014-11-13` and `codedeploy/2014-10-06`. Every request is recorded,
//! with the time it came, for the tests to count calls.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use serde_json::{Value, json};

/// One moment of the ECS service: its deployments and events (newest first), the stopped
/// tasks `ListTasks` lists by then, and the service deployment of the new deployment, if any
/// (`ListServiceDeployments`, `DescribeServiceDeployments`).
#[derive(Clone, Default)]
pub(crate) struct EcsStep {
    pub(crate) deployments: Vec<Value>,
    pub(crate) events: Vec<Value>,
    pub(crate) stopped: Vec<Value>,
    pub(crate) rollout: Option<Value>,
}

#[derive(Default)]
struct State {
    ecs: Vec<EcsStep>,
    ecs_at: usize,
    /// `deploymentInfo` and the ECS target, per step.
    codedeploy: Vec<(Value, Value)>,
    codedeploy_at: usize,
    /// How many of the next `DescribeServices` calls to refuse as throttled.
    throttle: u32,
    requests: Vec<(String, Instant)>,
}

/// The endpoint; it serves until the test process ends.
#[derive(Clone)]
pub(crate) struct Endpoint {
    pub(crate) url: String,
    state: Arc<Mutex<State>>,
}

impl Endpoint {
    pub(crate) fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let state = Arc::new(Mutex::new(State::default()));
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

    /// The ECS service's timeline.
    pub(crate) fn ecs(self, steps: Vec<EcsStep>) -> Self {
        self.state().ecs = steps;
        self
    }

    /// The CodeDeploy deployment's timeline: `(deploymentInfo, ecsTarget)` per step.
    pub(crate) fn codedeploy(self, steps: Vec<(Value, Value)>) -> Self {
        self.state().codedeploy = steps;
        self
    }

    /// Refuses the next `calls` of `DescribeServices` with `ThrottlingException`.
    pub(crate) fn throttle(self, calls: u32) -> Self {
        self.state().throttle = calls;
        self
    }

    /// The operations asked, in order, with when.
    pub(crate) fn requests(&self) -> Vec<(String, Instant)> {
        self.state().requests.clone()
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
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
    let operation = target.rsplit('.').next().unwrap_or_default().to_owned();
    let (status, answer) = {
        let mut state = state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.requests.push((operation.clone(), Instant::now()));
        answer(&mut state, &operation, &body)
    };
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

fn answer(state: &mut State, operation: &str, body: &Value) -> (u16, Value) {
    match operation {
        "DescribeServices" if state.throttle > 0 => {
            state.throttle -= 1;
            (
                400,
                json!({ "__type": "ThrottlingException", "message": "Rate exceeded" }),
            )
        }
        "DescribeServices" => {
            let step = step(&state.ecs, &mut state.ecs_at, true);
            let service = body["services"][0].as_str().unwrap_or_default();
            (
                200,
                json!({ "services": [{
                    "serviceName": service,
                    "serviceArn": format!("arn:aws:ecs:us-east-1:123456789012:service/prod/{service}"),
                    "status": "ACTIVE",
                    "deployments": step.deployments,
                    "events": step.events,
                }], "failures": [] }),
            )
        }
        "ListTasks" => {
            let step = step(&state.ecs, &mut state.ecs_at, false);
            let arns: Vec<&Value> = step.stopped.iter().map(|task| &task["taskArn"]).collect();
            (200, json!({ "taskArns": arns }))
        }
        "DescribeTasks" => {
            let wanted = body["tasks"].as_array().cloned().unwrap_or_default();
            let tasks: Vec<Value> = state
                .ecs
                .iter()
                .flat_map(|step| step.stopped.iter())
                .filter(|task| wanted.contains(&task["taskArn"]))
                .fold(Vec::new(), |mut unique, task| {
                    if !unique
                        .iter()
                        .any(|t: &Value| t["taskArn"] == task["taskArn"])
                    {
                        unique.push(task.clone());
                    }
                    unique
                });
            (200, json!({ "tasks": tasks, "failures": [] }))
        }
        "ListServiceDeployments" => {
            let step = step(&state.ecs, &mut state.ecs_at, false);
            let briefs: Vec<Value> = step
                .rollout
                .iter()
                .map(|rollout| {
                    json!({
                        "serviceDeploymentArn": rollout["serviceDeploymentArn"],
                        "createdAt": rollout["createdAt"],
                        "status": rollout["status"],
                    })
                })
                .collect();
            (200, json!({ "serviceDeployments": briefs }))
        }
        "DescribeServiceDeployments" => {
            let step = step(&state.ecs, &mut state.ecs_at, false);
            (
                200,
                json!({ "serviceDeployments": step.rollout.into_iter().collect::<Vec<_>>(), "failures": [] }),
            )
        }
        "GetDeployment" => {
            let (info, _) = step(&state.codedeploy, &mut state.codedeploy_at, true);
            (200, json!({ "deploymentInfo": info }))
        }
        "ListDeployments" => {
            let ids: Vec<&Value> = state
                .codedeploy
                .first()
                .map(|(info, _)| &info["deploymentId"])
                .into_iter()
                .collect();
            (200, json!({ "deployments": ids }))
        }
        "ListDeploymentTargets" => (200, json!({ "targetIds": ["prod:web"] })),
        "BatchGetDeploymentTargets" => {
            let (_, target) = step(&state.codedeploy, &mut state.codedeploy_at, false);
            (
                200,
                json!({ "deploymentTargets": [{ "deploymentTargetType": "ECSTarget", "ecsTarget": target }] }),
            )
        }
        _ => (
            400,
            json!({ "__type": "UnknownOperationException", "message": operation }),
        ),
    }
}

/// The current step of `steps`; `advance` moves to the next one first (the last repeats).
fn step<T: Clone + Default>(steps: &[T], at: &mut usize, advance: bool) -> T {
    if advance {
        *at += 1;
    }
    let index = at.saturating_sub(1).min(steps.len().saturating_sub(1));
    steps.get(index).cloned().unwrap_or_default()
}
