//! Test doubles: a shared configuration with fixed credentials, and a one-shot HTTP server on
//! `127.0.0.1` that records the request it gets and answers with a canned response. They let the
//! unit tests drive the real SDK client over real HTTP without AWS and without the local endpoint.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_s3::config::retry::RetryConfig;

/// A shared configuration for `endpoint` with dummy credentials and no retries.
pub(crate) fn config(endpoint: &str) -> SdkConfig {
    config_with(
        endpoint,
        SharedCredentialsProvider::new(Credentials::new("test", "test", None, None, "unit-tests")),
    )
}

/// A shared configuration for `endpoint` with the given credentials provider and no retries.
pub(crate) fn config_with(endpoint: &str, credentials: SharedCredentialsProvider) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .http_client(crate::config::https_client())
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials)
        .retry_config(RetryConfig::disabled())
        .endpoint_url(endpoint)
        .build()
}

/// A server that answers one request with `response` and then closes. Its handle yields the
/// request's head (request line and headers), with the header names in lowercase; it panics
/// when no request comes within [`PATIENCE`], so a test whose client never connects fails
/// instead of hanging.
pub(crate) struct OneShot {
    pub(crate) port: u16,
    pub(crate) request: JoinHandle<String>,
}

pub(crate) fn serve_once(response: String) -> OneShot {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    let port = listener.local_addr().expect("the bound address").port();
    let request = std::thread::spawn(move || {
        let stream = accept(&listener);
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut length = 0_usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("read a request line");
            if line.trim_end().is_empty() {
                break;
            }
            let line = match line.split_once(':') {
                Some((name, value)) => format!("{}:{value}", name.to_lowercase()),
                None => line,
            };
            if let Some(value) = line.strip_prefix("content-length:") {
                length = value.trim().parse().expect("a numeric content-length");
            }
            head.push_str(&line);
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("read the request body");
        let mut stream = reader.into_inner();
        stream
            .write_all(response.as_bytes())
            .expect("write the response");
        head
    });
    OneShot { port, request }
}

/// How long the one-shot server waits for its request.
const PATIENCE: Duration = Duration::from_secs(10);

fn accept(listener: &TcpListener) -> TcpStream {
    listener
        .set_nonblocking(true)
        .expect("a non-blocking listener");
    let deadline = Instant::now() + PATIENCE;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                stream.set_nonblocking(false).expect("a blocking stream");
                stream
                    .set_read_timeout(Some(PATIENCE))
                    .expect("a read timeout");
                return stream;
            }
            Err(error) if error.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(error) => panic!("no request reached the test server: {error}"),
        }
    }
}

/// An HTTP/1.1 response with `status` (`200 OK`), extra `headers` (each ending in `\r\n`) and
/// `body`, which closes the connection.
pub(crate) fn response(status: &str, headers: &str, body: &str) -> String {
    let length = body.len();
    format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {length}\r\nConnection: close\r\n\r\n{body}"
    )
}

/// A port on `127.0.0.1` that nothing listens on (bound, then released).
pub(crate) fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    listener.local_addr().expect("the bound address").port()
}
