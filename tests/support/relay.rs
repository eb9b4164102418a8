//! Passing a request on to the local endpoint, for the test endpoints that serve part of a
//! service and leave the rest to moto; and a relay that makes moto answer as another account.
//!
//! moto keeps one set of resources per account and takes the account of a request from its
//! `x-moto-account-id` header (`get_current_account` in
//! <https://github.com/getmoto/moto/blob/master/moto/core/responses.py>).
//! The account relay adds that header to every request that names the account's registry
//! (`"registryId": "<account>"` in ECR's JSON body), so that the AWS CLI can make another
//! account's repositories through it, and the programs, reaching ECR through it with
//! `AWS_ENDPOINT_URL_ECR`, read them as a repository of another account: nothing else changes
//! between the SDK client and moto.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

use super::local_aws::endpoint;

/// One HTTP request as read: its head (request line and headers, without `connection` and the
/// blank line) and its body.
pub(crate) struct Request {
    pub(crate) head: Vec<u8>,
    pub(crate) body: Vec<u8>,
}

/// Reads one request from `reader`; `None` when the client went away.
pub(crate) fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut head = Vec::new();
    let mut length = 0_usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return None;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                // The answer ends with the connection: one request per connection.
                "connection" => continue,
                _ => {}
            }
        }
        if line.trim_end().is_empty() {
            break;
        }
        head.extend_from_slice(line.as_bytes());
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request { head, body })
}

/// Sends `request` to the local endpoint with `extra` headers (`name: value\r\n` lines) and
/// `connection: close`, and returns its answer.
pub(crate) fn forward(request: &Request, extra: &str) -> Vec<u8> {
    let upstream = endpoint();
    let address = upstream.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(address).expect("the local endpoint answers");
    let mut bytes = request.head.clone();
    bytes.extend_from_slice(extra.as_bytes());
    bytes.extend_from_slice(b"connection: close\r\n\r\n");
    bytes.extend_from_slice(&request.body);
    stream
        .write_all(&bytes)
        .expect("send to the local endpoint");
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .expect("read the local endpoint's answer");
    answer
}

/// Starts a relay to the local endpoint that answers as `account` every request naming it as
/// `registryId`; its URL. It serves until the test process ends.
pub(crate) fn as_account(account: &'static str) -> String {
    serve_each(move |stream| {
        let mut reader = BufReader::new(stream);
        let Some(request) = read_request(&mut reader) else {
            return;
        };
        let body = String::from_utf8_lossy(&request.body).replace(' ', "");
        let extra = if body.contains(&format!("\"registryId\":\"{account}\"")) {
            format!("x-moto-account-id: {account}\r\n")
        } else {
            String::new()
        };
        let answer = forward(&request, &extra);
        let mut stream = reader.into_inner();
        let _ = stream.write_all(&answer);
        let _ = stream.flush();
    })
}

/// Listens on a free port of `127.0.0.1` and answers each connection on a thread of its own
/// with `serve`, until the test process ends; the URL.
pub(crate) fn serve_each(serve: impl Fn(TcpStream) + Clone + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let serve = serve.clone();
            std::thread::spawn(move || serve(stream));
        }
    });
    url
}
