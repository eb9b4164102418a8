//! A test endpoint, not an ECR: it answers `GetDownloadUrlForLayer`, which the local moto
//! endpoint does not serve (`docs/aws/local-endpoint.md#what-moto-lacks-or-accepts-wrongly`), and
//! serves the blob at the URL it gives, the way ECR gives a pre-signed S3 URL. ECR's JSON 1.1
//! protocol (`POST /`, `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Op>`), with the
//! members of `GetDownloadUrlForLayerResponse` (`downloadUrl`, `layerDigest`) and the error
//! `LayersNotFoundException` of ECR's API model
//! (<https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetDownloadUrlForLayer.html>).
//! Every other ECR request it passes to the local endpoint unchanged, so that one program run
//! talks to one ECR: the repositories and images the test made on moto, and the blobs the test
//! put here.
//!
//! The programs reach it through `AWS_ENDPOINT_URL_ECR`, so the real SDK client runs with its
//! serialization, signing and JSON parsing, and the program's own download of the blob.

use std::fmt::Write as _;
use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::relay::{Request, forward, read_request, serve_each};

/// `(digest, bytes)`: the blobs served, by the digest they are served for.
type Blobs = Vec<(String, Vec<u8>)>;

/// The endpoint; it serves until the test process ends.
#[derive(Clone)]
pub(crate) struct Endpoint {
    pub(crate) url: String,
    blobs: Arc<Mutex<Blobs>>,
}

impl Endpoint {
    /// Serves on a free port of `127.0.0.1`, with no blobs.
    pub(crate) fn start() -> Self {
        let blobs: Arc<Mutex<Blobs>> = Arc::default();
        let served = Arc::clone(&blobs);
        let url = serve_each(move |stream| serve(&served, stream));
        Self { url, blobs }
    }

    /// Serves `bytes` as the blob of their own digest; that digest.
    pub(crate) fn blob(&self, bytes: &[u8]) -> String {
        let digest = digest(bytes);
        self.serve_as(&digest, bytes);
        digest
    }

    /// Serves `bytes` as the blob `digest`, whether or not they are its bytes.
    pub(crate) fn serve_as(&self, digest: &str, bytes: &[u8]) {
        self.blobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((digest.to_owned(), bytes.to_vec()));
    }
}

/// Answers one connection: a blob, a download URL, or moto's answer.
fn serve(blobs: &Mutex<Blobs>, stream: TcpStream) {
    let mut reader = BufReader::new(stream);
    let Some(request) = read_request(&mut reader) else {
        return;
    };
    let head = String::from_utf8_lossy(&request.head).into_owned();
    let lower = head.to_ascii_lowercase();
    let answer = if let Some(digest) = head
        .strip_prefix("GET /blobs/")
        .and_then(|rest| rest.split_whitespace().next())
    {
        match bytes(blobs, digest) {
            Some(bytes) => answer("200 OK", "application/octet-stream", &bytes),
            None => answer("404 Not Found", "text/plain", b"no such blob"),
        }
    } else if lower
        .contains("x-amz-target: amazonec2containerregistry_v20150921.getdownloadurlforlayer")
    {
        // The URL is this endpoint's own, as the client reached it.
        let host = lower
            .lines()
            .find_map(|line| line.strip_prefix("host:"))
            .map_or("", str::trim);
        download_url(blobs, host, &request)
    } else {
        forward(&request, "")
    };
    let mut stream = reader.into_inner();
    let _ = stream.write_all(&answer);
    let _ = stream.flush();
}

fn bytes(blobs: &Mutex<Blobs>, digest: &str) -> Option<Vec<u8>> {
    let blobs = blobs.lock().unwrap_or_else(PoisonError::into_inner);
    blobs
        .iter()
        .find(|(served, _)| served == digest)
        .map(|(_, bytes)| bytes.clone())
}

/// `GetDownloadUrlForLayer`'s answer: this endpoint's URL of the blob, or
/// `LayersNotFoundException` for a digest it has no blob for.
fn download_url(blobs: &Mutex<Blobs>, host: &str, request: &Request) -> Vec<u8> {
    let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
    let digest = body["layerDigest"].as_str().unwrap_or_default();
    let json = "application/x-amz-json-1.1";
    if bytes(blobs, digest).is_none() {
        let error = json!({"__type": "LayersNotFoundException",
            "message": format!("The layer {digest} does not exist")});
        return answer("400 Bad Request", json, error.to_string().as_bytes());
    }
    let found = json!({"downloadUrl": format!("http://{host}/blobs/{digest}"),
        "layerDigest": digest});
    answer("200 OK", json, found.to_string().as_bytes())
}

/// The `sha256:` digest of `bytes`.
pub(crate) fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::from("sha256:"), |mut digest, byte| {
            let _ = write!(digest, "{byte:02x}");
            digest
        })
}

fn answer(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    bytes
}
