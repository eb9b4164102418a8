//! HTTP/1.1 framing for the fault proxy: request heads, and upstream answers re-framed with a
//! Content-Length so that the client may keep its connection.

use std::fmt::Write as _;
use std::io::BufRead;

/// A request's head: the request line and the headers, as read.
pub(super) struct Head {
    pub(super) line: String,
    pub(super) headers: Vec<(String, String)>,
}

impl Head {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub(super) fn summary(&self) -> String {
        let target = self.header("x-amz-target").unwrap_or_default();
        format!("{} {target}", self.line)
    }

    pub(super) fn body_len(&self) -> usize {
        // The SDK always frames request bodies with Content-Length, aws-chunked ones included.
        assert!(
            self.header("transfer-encoding").is_none(),
            "the proxy reads Content-Length bodies only: {}",
            self.line
        );
        self.header("content-length")
            .and_then(|len| len.trim().parse().ok())
            .unwrap_or(0)
    }
}

pub(super) fn read_head(reader: &mut impl BufRead) -> Option<Head> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    Some(Head {
        line: line.trim_end().to_owned(),
        headers,
    })
}

/// The upstream answer with a Content-Length framing and no `connection: close`, so the client
/// may keep its connection; chunked bodies are decoded.
pub(super) fn reframe(answer: &[u8], is_head: bool) -> Vec<u8> {
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(answer.len(), |at| at + 4);
    let (raw_head, raw_body) = answer.split_at(split);
    let text = String::from_utf8_lossy(raw_head);
    let mut lines = text.split("\r\n").filter(|line| !line.is_empty());
    let mut out = format!("{}\r\n", lines.next().unwrap_or("HTTP/1.1 502 Bad Gateway"));
    let (mut chunked, mut has_length) = (false, false);
    for line in lines {
        let name = line.split(':').next().unwrap_or_default().trim();
        if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = true;
        } else if name.eq_ignore_ascii_case("connection") || name.eq_ignore_ascii_case("keep-alive")
        {
        } else {
            has_length |= name.eq_ignore_ascii_case("content-length");
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    let body = if chunked {
        dechunk(raw_body)
    } else {
        raw_body.to_vec()
    };
    if !is_head && (chunked || !has_length) {
        let _ = write!(out, "content-length: {}\r\n", body.len());
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&body);
    bytes
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(end) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&raw[..end]);
        let size = usize::from_str_radix(size.split(';').next().unwrap_or("0").trim(), 16);
        let size = size.unwrap_or(0);
        if size == 0 || raw.len() < end + 2 + size {
            break;
        }
        body.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[(end + 4 + size).min(raw.len())..];
    }
    body
}
