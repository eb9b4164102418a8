//! A fault-injecting HTTP/1.1 proxy on `127.0.0.1` between the programs and the local endpoint:
//! each request is read whole, then either forwarded (on a fresh upstream connection) or answered
//! with a fault: a delay, a connection cut in the request or the response body, HTTP 500 or 503,
//! S3's `SlowDown`, a JSON 1.1 `ThrottlingException`, an endless wait, or a bandwidth limit.
//!
//! A [`Plan`] says which fault, for which requests (a substring of `METHOD PATH X-Amz-Target`),
//! and how many times: the first N matching requests (or connections), then pass-through, or
//! always. The counters say how many requests were seen and how many faults injected, so tests
//! assert on attempts, not on wall-clock time. The programs reach it through
//! `AWS_ENDPOINT_URL=<url>`; it speaks plain HTTP only, as the local endpoint does.

use std::fmt::Write as _;
use std::io::{self, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use http::{Head, read_head, reframe};

mod http;

/// How long [`Fault::Hang`] holds a connection at most: longer than the programs' 60 s read
/// timeout (`deploykit_aws::config::READ_TIMEOUT`).
const HANG_LIMIT: Duration = Duration::from_secs(150);

/// What to do to a request the plan covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Waits, then forwards.
    Delay(Duration),
    /// Reads half the request body, then closes the connection with data unread (an RST).
    ResetRequest,
    /// Forwards, then sends the head and half of the answer's body and closes.
    CutResponse,
    /// Answers HTTP 500 with an S3-style `InternalError` body.
    Status500,
    /// Answers HTTP 503 `ServiceUnavailable`.
    Status503,
    /// Answers S3's `SlowDown`: 503 with the S3 XML error (S3 API reference, "Error responses").
    SlowDown,
    /// Answers a JSON 1.1 `ThrottlingException` (HTTP 400), as ECR, ECS, CodePipeline and
    /// Application Auto Scaling do.
    Throttling,
    /// Reads the request and never answers.
    Hang,
    /// Forwards, passing at most this many bytes per second each way.
    Bandwidth(u32),
    /// Answers HTTP 200 with this body, whatever was asked: an endpoint that says "done"
    /// without the answer's fields (`{}`, an empty body, garbage).
    Answer(&'static str),
    /// Answers HTTP 200 with a JSON body that does not end: [`ENDLESS_LIMIT`] bytes of one
    /// string, or until the client hangs up.
    Endless,
}

/// Where an endless answer stops after all, so that a client that reads it whole fails its
/// test instead of filling the machine's memory.
pub(crate) const ENDLESS_LIMIT: usize = 256 << 20;

impl Fault {
    /// A short name for the figures: `503`, `slowdown`, `reset-request`, …
    pub(crate) fn label(self) -> String {
        match self {
            Self::Delay(pause) => format!("delay-{}ms", pause.as_millis()),
            Self::ResetRequest => "reset-request".to_owned(),
            Self::CutResponse => "cut-response".to_owned(),
            Self::Status500 => "500".to_owned(),
            Self::Status503 => "503".to_owned(),
            Self::SlowDown => "slowdown".to_owned(),
            Self::Throttling => "throttling".to_owned(),
            Self::Hang => "hang".to_owned(),
            Self::Bandwidth(rate) => format!("bandwidth-{rate}Bps"),
            Self::Answer(body) => format!("answer-{}B", body.len()),
            Self::Endless => "endless".to_owned(),
        }
    }
}

/// Which requests get the fault.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    fault: Fault,
    /// `None`: every matching request.
    first: Option<u32>,
    /// How many matching requests pass before the plan starts.
    skip: u32,
    /// A substring of `METHOD PATH X-Amz-Target`; empty matches all.
    matching: String,
    /// Count connections, not requests: a faulty connection is faulty for all its requests.
    per_connection: bool,
}

impl Plan {
    /// `fault` for the first `n` matching requests, then pass-through.
    pub(crate) fn first(n: u32, fault: Fault) -> Self {
        Self {
            fault,
            first: Some(n),
            skip: 0,
            matching: String::new(),
            per_connection: false,
        }
    }

    /// `fault` for every matching request.
    pub(crate) fn always(fault: Fault) -> Self {
        Self {
            fault,
            first: None,
            skip: 0,
            matching: String::new(),
            per_connection: false,
        }
    }

    /// Pass-through for the first `n` matching requests, then `fault` for every one after:
    /// a call that fails once earlier ones have succeeded.
    pub(crate) fn after(n: u32, fault: Fault) -> Self {
        Self {
            skip: n,
            ..Self::always(fault)
        }
    }

    /// Only requests whose `METHOD PATH X-Amz-Target` contains `needle`.
    pub(crate) fn matching(mut self, needle: &str) -> Self {
        needle.clone_into(&mut self.matching);
        self
    }

    /// Counts connections instead of requests.
    pub(crate) fn per_connection(mut self) -> Self {
        self.per_connection = true;
        self
    }
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU32,
    matched: AtomicU32,
    connections: AtomicU32,
    faults: AtomicU32,
}

/// The running proxy; it serves until the test process ends.
#[derive(Debug, Clone)]
pub(crate) struct Proxy {
    pub(crate) url: String,
    counters: Arc<Counters>,
    plan: Arc<Mutex<Plan>>,
}

impl Proxy {
    /// Starts a proxy in front of `upstream` (`http://127.0.0.1:PORT`) with `plan`.
    pub(crate) fn start(upstream: &str, plan: Plan) -> Self {
        let upstream = upstream
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("the proxy forwards to plain http, not {upstream}"))
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let proxy = Self {
            url,
            counters: Arc::default(),
            plan: Arc::new(Mutex::new(plan)),
        };
        let shared = proxy.clone();
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (proxy, upstream) = (shared.clone(), upstream.clone());
                thread::spawn(move || proxy.serve(client, &upstream));
            }
        });
        proxy
    }

    /// Requests seen, all of them.
    pub(crate) fn requests(&self) -> u32 {
        self.counters.requests.load(Ordering::SeqCst)
    }

    /// Requests seen that the plan's filter matches: the attempts of the faulty operation.
    pub(crate) fn matched(&self) -> u32 {
        self.counters.matched.load(Ordering::SeqCst)
    }

    /// Faults injected.
    pub(crate) fn faults(&self) -> u32 {
        self.counters.faults.load(Ordering::SeqCst)
    }

    fn plan(&self) -> Plan {
        self.plan
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Whether the next matching unit (request or connection) gets the fault.
    fn take_fault(&self, plan: &Plan) -> bool {
        let seen = if plan.per_connection {
            &self.counters.connections
        } else {
            &self.counters.matched
        };
        let index = seen.load(Ordering::SeqCst);
        index > plan.skip && plan.first.is_none_or(|n| index <= n)
    }

    fn serve(&self, client: TcpStream, upstream: &str) {
        let plan = self.plan();
        let _ = client.set_nodelay(true);
        let mut connection_faulty = None;
        let mut reader = BufReader::new(client);
        while let Some(head) = read_head(&mut reader) {
            self.counters.requests.fetch_add(1, Ordering::SeqCst);
            if !head.summary().contains(&plan.matching) {
                if forward(&mut reader, &head, upstream, None).is_err() {
                    return;
                }
                continue;
            }
            self.counters.matched.fetch_add(1, Ordering::SeqCst);
            let faulty = if plan.per_connection {
                *connection_faulty.get_or_insert_with(|| {
                    self.counters.connections.fetch_add(1, Ordering::SeqCst);
                    self.take_fault(&plan)
                })
            } else {
                self.take_fault(&plan)
            };
            if !faulty {
                if forward(&mut reader, &head, upstream, None).is_err() {
                    return;
                }
                continue;
            }
            self.counters.faults.fetch_add(1, Ordering::SeqCst);
            if inject(&mut reader, &head, upstream, plan.fault).is_err() {
                return;
            }
        }
    }
}

fn read_body(reader: &mut impl Read, len: usize, rate: Option<u32>) -> io::Result<Vec<u8>> {
    let mut body = vec![0; len];
    let chunk = rate.map_or(len.max(1), |rate| (rate as usize / 10).max(1));
    for piece in body.chunks_mut(chunk) {
        reader.read_exact(piece)?;
        if rate.is_some() {
            thread::sleep(Duration::from_millis(100));
        }
    }
    Ok(body)
}

fn write_slowly(stream: &mut TcpStream, bytes: &[u8], rate: Option<u32>) -> io::Result<()> {
    let Some(rate) = rate else {
        return stream.write_all(bytes);
    };
    for piece in bytes.chunks((rate as usize / 10).max(1)) {
        stream.write_all(piece)?;
        stream.flush()?;
        thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// Sends the request upstream and the answer back, keeping the client's connection open.
fn forward(
    reader: &mut BufReader<TcpStream>,
    head: &Head,
    upstream: &str,
    rate: Option<u32>,
) -> io::Result<()> {
    let body = read_body(reader, head.body_len(), rate)?;
    let answer = exchange(head, &body, upstream)?;
    write_slowly(reader.get_mut(), &answer, rate)
}

/// One request on a fresh upstream connection; the answer re-framed with Content-Length.
fn exchange(head: &Head, body: &[u8], upstream: &str) -> io::Result<Vec<u8>> {
    let mut server = TcpStream::connect(upstream)?;
    let mut request = format!("{}\r\n", head.line);
    for (name, value) in &head.headers {
        // The answer is read to the end of the connection; and a `100 Continue` is not wanted.
        if !["connection", "expect", "keep-alive"]
            .iter()
            .any(|skip| name.eq_ignore_ascii_case(skip))
        {
            let _ = write!(request, "{name}: {value}\r\n");
        }
    }
    request.push_str("connection: close\r\n\r\n");
    server.write_all(request.as_bytes())?;
    server.write_all(body)?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer)?;
    Ok(reframe(&answer, head.line.starts_with("HEAD ")))
}

/// A canned error answer that closes the connection.
fn error_answer(status: &str, content_type: &str, body: &str, extra: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n{extra}\
         connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn s3_error(status: &str, code: &str, message: &str) -> Vec<u8> {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}\
         </Message><RequestId>FAULT</RequestId></Error>"
    );
    error_answer(status, "application/xml", &body, "")
}

/// Applies `fault` to one request; an `Err` or a closing fault ends the connection.
fn inject(
    reader: &mut BufReader<TcpStream>,
    head: &Head,
    upstream: &str,
    fault: Fault,
) -> io::Result<()> {
    let closing = match fault {
        Fault::Delay(pause) => {
            thread::sleep(pause);
            return forward(reader, head, upstream, None);
        }
        Fault::Bandwidth(rate) => return forward(reader, head, upstream, Some(rate)),
        Fault::ResetRequest => {
            // Closing with unread bytes in the receive buffer makes the kernel send an RST.
            read_body(reader, head.body_len() / 2, None)?;
            return Err(io::ErrorKind::ConnectionReset.into());
        }
        Fault::CutResponse => {
            let body = read_body(reader, head.body_len(), None)?;
            let answer = exchange(head, &body, upstream)?;
            let head_len = answer
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map_or(answer.len(), |at| at + 4);
            let cut = head_len + (answer.len() - head_len) / 2;
            reader.get_mut().write_all(&answer[..cut])?;
            return Err(io::ErrorKind::ConnectionAborted.into());
        }
        Fault::Hang => {
            // Hold the connection until the client gives up on it, or until well after any
            // sane client timeout, so that a client without one fails its test instead of
            // hanging it.
            reader.get_ref().set_read_timeout(Some(HANG_LIMIT))?;
            io::copy(reader, &mut io::sink())?;
            return Err(io::ErrorKind::ConnectionAborted.into());
        }
        Fault::Endless => {
            read_body(reader, head.body_len(), None)?;
            let stream = reader.get_mut();
            stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\nconnection: close\r\n\r\n{\"a\":\"",
            )?;
            let chunk = vec![b'x'; 1 << 16];
            for _ in 0..ENDLESS_LIMIT / chunk.len() {
                stream.write_all(&chunk)?;
            }
            return Err(io::ErrorKind::ConnectionAborted.into());
        }
        Fault::Status500 => s3_error(
            "500 Internal Server Error",
            "InternalError",
            "We encountered an internal error. Please try again.",
        ),
        Fault::Status503 => s3_error(
            "503 Service Unavailable",
            "ServiceUnavailable",
            "Service is unable to handle request.",
        ),
        Fault::SlowDown => s3_error(
            "503 Slow Down",
            "SlowDown",
            "Please reduce your request rate.",
        ),
        Fault::Throttling => error_answer(
            "400 Bad Request",
            "application/x-amz-json-1.1",
            r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
            "x-amzn-errortype: ThrottlingException\r\n",
        ),
        Fault::Answer(body) => {
            let kind = if body.starts_with('<') {
                "application/xml"
            } else {
                "application/x-amz-json-1.1"
            };
            error_answer("200 OK", kind, body, "")
        }
    };
    // Read the body first, so the client sees the answer rather than a reset.
    read_body(reader, head.body_len(), None)?;
    reader.get_mut().write_all(&closing)?;
    Err(io::ErrorKind::ConnectionAborted.into())
}
