//! A test endpoint, not an IAM: it answers `SimulatePrincipalPolicy`, which the local moto
//! endpoint answers with HTTP 500 (`docs/aws/local-endpoint.md#what-moto-lacks-or-accepts-wrongly`),
//! in IAM's query protocol (`POST /`, a form-encoded body with `Action=…`, an XML answer in
//! the namespace `https://iam.amazonaws.com/doc/2010-05-08/`), with the members of
//! `SimulatePolicyResponse` and `EvaluationResult` of IAM's API model
//! (<https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html>). Every
//! other IAM request it passes to the local endpoint unchanged, so that one program run talks to
//! one IAM: the roles the test made on moto, and the decisions the test scripted here.
//!
//! The programs reach it through `AWS_ENDPOINT_URL_IAM`, so the real SDK client runs with its
//! serialization, signing and XML parsing. Each decision is `allowed` unless the test scripted
//! another for an action (on every resource, or on those that contain a text).

use std::fmt::Write as _;
use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};

use super::relay::{forward, read_request};

/// `(action, resource text, decision)`: the scripted decisions, the first match winning.
type Script = Vec<(String, String, String)>;

/// The endpoint; it serves until the test process ends.
#[derive(Clone)]
pub(crate) struct Endpoint {
    pub(crate) url: String,
    script: Arc<Mutex<Script>>,
    simulations: Arc<Mutex<usize>>,
    refuse: Arc<Mutex<bool>>,
}

impl Endpoint {
    /// Serves on a free port of `127.0.0.1`, every decision `allowed`.
    pub(crate) fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let this = Self {
            url,
            script: Arc::default(),
            simulations: Arc::default(),
            refuse: Arc::default(),
        };
        let shared = this.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || shared.serve(stream));
            }
        });
        this
    }

    /// Decides `action` on every resource whose ARN contains `resource` as `decision`
    /// (`implicitDeny`, `explicitDeny`).
    pub(crate) fn decide(self, action: &str, resource: &str, decision: &str) -> Self {
        self.script
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((action.to_owned(), resource.to_owned(), decision.to_owned()));
        self
    }

    /// Refuses every simulation with `AccessDenied`, as IAM answers a caller not allowed
    /// `iam:SimulatePrincipalPolicy`.
    pub(crate) fn refusing(self) -> Self {
        *self.refuse.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self
    }

    /// How many `SimulatePrincipalPolicy` requests it answered.
    pub(crate) fn simulations(&self) -> usize {
        *self
            .simulations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn serve(&self, stream: TcpStream) {
        let mut reader = BufReader::new(stream);
        let Some(request) = read_request(&mut reader) else {
            return;
        };
        let form = form(&request.body);
        let field = |name: &str| {
            form.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let answer = if field("Action") == Some("SimulatePrincipalPolicy") {
            *self
                .simulations
                .lock()
                .unwrap_or_else(PoisonError::into_inner) += 1;
            if *self.refuse.lock().unwrap_or_else(PoisonError::into_inner) {
                refusal().into_bytes()
            } else {
                self.simulate(&form).into_bytes()
            }
        } else {
            forward(&request, "")
        };
        let mut stream = reader.into_inner();
        let _ = stream.write_all(&answer);
        let _ = stream.flush();
    }

    fn simulate(&self, form: &[(String, String)]) -> String {
        let members = |prefix: &str| -> Vec<&str> {
            form.iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let resources = match members("ResourceArns.member.").as_slice() {
            [] => vec!["*"],
            some => some.to_vec(),
        };
        let script = self.script.lock().unwrap_or_else(PoisonError::into_inner);
        let mut results = String::new();
        for action in members("ActionNames.member.") {
            for resource in &resources {
                let decision = script
                    .iter()
                    .find(|(a, r, _)| a == action && resource.contains(r.as_str()))
                    .map_or("allowed", |(_, _, d)| d.as_str());
                let _ = write!(
                    results,
                    "<member><EvalActionName>{action}</EvalActionName>\
                     <EvalResourceName>{resource}</EvalResourceName>\
                     <EvalDecision>{decision}</EvalDecision>\
                     <MatchedStatements/><MissingContextValues/></member>"
                );
            }
        }
        let xml = format!(
            "<SimulatePrincipalPolicyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
             <SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated>\
             <EvaluationResults>{results}</EvaluationResults></SimulatePrincipalPolicyResult>\
             <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>\
             </SimulatePrincipalPolicyResponse>"
        );
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{xml}",
            xml.len()
        )
    }
}

/// IAM's answer to a caller whose policies do not allow the action: the query protocol's XML
/// `ErrorResponse`.
fn refusal() -> String {
    let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: \
               arn:aws:sts::123456789012:assumed-role/build/ci is not authorized to perform: \
               iam:SimulatePrincipalPolicy</Message></Error><RequestId>1</RequestId></ErrorResponse>";
    format!(
        "HTTP/1.1 403 Forbidden\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{xml}",
        xml.len()
    )
}

/// A form-encoded body's fields, decoded.
fn form(body: &[u8]) -> Vec<(String, String)> {
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(&text.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (decode(name), decode(value)))
        .collect()
}
