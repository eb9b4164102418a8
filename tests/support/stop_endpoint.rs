//! A test endpoint, not ECS or CodeDeploy: answers the calls that stop a running deployment with
//! rollback, which moto lacks (`codedeploy stop-deployment` answers HTTP 500, and ECS service
//! deployments are newer than moto's ECS): ECS `ListServiceDeployments` and
//! `StopServiceDeployment`, CodeDeploy `StopDeployment`, all JSON 1.1 as in botocore's models
//! (`ecs/2014-11-13`, `codedeploy/2014-10-06`). The programs reach it through
//! `AWS_ENDPOINT_URL_ECS` and `AWS_ENDPOINT_URL_CODEDEPLOY`; it records every request.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::codepipeline_endpoint::exchange;

/// The ARN of the one running ECS service deployment the endpoint knows.
pub(crate) const SERVICE_DEPLOYMENT: &str =
    "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/AbCdEf123";

/// The endpoint; it serves until the test process ends.
#[derive(Clone)]
pub(crate) struct Endpoint {
    pub(crate) url: String,
    requests: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Endpoint {
    pub(crate) fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let requests = Arc::clone(&shared);
                std::thread::spawn(move || {
                    exchange(stream, |operation, body| {
                        requests
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push((operation.to_owned(), body.clone()));
                        answer(operation)
                    });
                });
            }
        });
        Self { url, requests }
    }

    /// Every request, `(operation, body)`, in order.
    pub(crate) fn requests(&self) -> Vec<(String, Value)> {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

fn answer(operation: &str) -> (u16, Value) {
    match operation {
        "ListServiceDeployments" => (
            200,
            json!({ "serviceDeployments": [{
                "serviceDeploymentArn": SERVICE_DEPLOYMENT, "status": "IN_PROGRESS",
            }]}),
        ),
        "StopServiceDeployment" => (200, json!({ "serviceDeploymentArn": SERVICE_DEPLOYMENT })),
        "StopDeployment" => (
            200,
            json!({ "status": "Pending", "statusMessage": "Stopping the deployment" }),
        ),
        _ => (
            400,
            json!({ "__type": "UnknownOperationException", "message": operation }),
        ),
    }
}
