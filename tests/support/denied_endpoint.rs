//! A test endpoint, not an AWS service: refuses every request with `AccessDenied`, as AWS
//! answers a caller whose policies do not allow the action. The local endpoint (moto) does not
//! enforce IAM policies unless started to, for every test at once
//! (`docs/aws/local-endpoint.md#the-access-denied-test-endpoint`), so the tests of a refused read point one service at this
//! endpoint (`AWS_ENDPOINT_URL_<SERVICE>`) and the real SDK client parses a real error answer:
//! the query protocol's XML `ErrorResponse` (IAM), EC2's own `Response` with its
//! `UnauthorizedOperation` (a request of EC2's API version, `Version=2016-11-15`,
//! <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html>), or the JSON
//! protocols' `__type` (every request with `X-Amz-Target`, such as CloudWatch Logs).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

/// Starts the endpoint on a free port of `127.0.0.1`; it serves until the test process ends.
pub(crate) fn start() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || refuse(stream));
        }
    });
    url
}

fn refuse(stream: TcpStream) {
    let mut reader = BufReader::new(stream);
    let (mut json, mut length) = (false, 0_usize);
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
                "x-amz-target" => json = true,
                "content-length" => length = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let message = "User: arn:aws:sts::123456789012:assumed-role/build/ci is not authorized";
    let ec2 = String::from_utf8_lossy(&body).contains("Version=2016-11-15");
    let (content_type, answer) = if json {
        (
            "application/x-amz-json-1.1",
            format!(r#"{{"__type":"AccessDeniedException","message":"{message}"}}"#),
        )
    } else if ec2 {
        (
            "text/xml",
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not \
             authorized to perform this operation.</Message></Error></Errors>\
             <RequestID>1</RequestID></Response>"
                .to_owned(),
        )
    } else {
        (
            "text/xml",
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
                 <Message>{message}</Message></Error><RequestId>1</RequestId></ErrorResponse>"
            ),
        )
    };
    let response = format!(
        "HTTP/1.1 403 Forbidden\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{answer}",
        answer.len()
    );
    let mut stream = reader.into_inner();
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}
