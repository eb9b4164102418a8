//! Fault tests: an endpoint that starts a multipart upload and then dies on the parts. The
//! upload must fail, and the multipart upload must be aborted so no parts are left behind.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use super::*;
use crate::testing::{config, response, serve_once};

/// Serves until the abort arrives: `CreateMultipartUpload` is answered, every part request is
/// cut off without an answer (the endpoint "stops"), and `AbortMultipartUpload` is recorded.
fn dying_endpoint() -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("an address").port();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { break };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() || line.trim_end().is_empty() {
                    break;
                }
            }
            let mut stream = reader.into_inner();
            if request_line.starts_with("POST") && request_line.contains("uploads") {
                let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
                    <InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k.zip</Key>\
                    <UploadId>upload-1</UploadId></InitiateMultipartUploadResult>";
                let _ = stream.write_all(response("200 OK", "", body).as_bytes());
            } else if request_line.starts_with("DELETE") {
                let _ = stream.write_all(response("204 No Content", "", "").as_bytes());
                let _ = sender.send(request_line.clone());
                break;
            }
            // A part: the connection is dropped without an answer.
        }
    });
    (port, receiver)
}

/// Uploads `path` to `s3://b/k.zip` with nothing to stop it.
async fn upload(
    client: &aws_sdk_s3::Client,
    path: &std::path::Path,
    options: &UploadOptions,
) -> Result<crate::s3::PutOutcome, crate::AwsError> {
    upload_file(client, "b", "k.zip", path, options, std::future::pending()).await
}

#[tokio::test]
async fn a_failed_part_aborts_the_multipart_upload_and_reports_the_failure() {
    let (port, aborted) = dying_endpoint();
    let client = crate::s3::client(&config(&format!("http://127.0.0.1:{port}")));
    let dir = std::env::temp_dir().join(format!("deploykit-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("artifact.zip");
    std::fs::write(&path, b"twenty bytes of zip!").unwrap();
    let options = UploadOptions::default().part_size(5);
    let error = upload(&client, &path, &options)
        .await
        .expect_err("the parts never succeed");
    assert_eq!(error.operation(), "s3:PutObject");
    let abort = aborted
        .recv_timeout(Duration::from_secs(10))
        .expect("an AbortMultipartUpload request");
    assert!(abort.contains("uploadId=upload-1"), "{abort}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn crc32_is_base64_of_the_big_endian_bytes() {
    // The CRC-32 of "hello world" is 0x0d4a1185 (zlib); S3 shows it as `DUoRhQ==`.
    assert_eq!(crc32(b"hello world"), "DUoRhQ==");
}

/// moto accepts any KMS key id, so the refusal S3 gives for a wrong one is served here.
#[tokio::test]
async fn a_wrong_kms_key_is_a_clear_error() {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>KMS.NotFoundException</Code>\
                <Message>Invalid keyId 'wrong-key'</Message><RequestId>1</RequestId></Error>";
    let server = serve_once(response("400 Bad Request", "", body));
    let client = crate::s3::client(&config(&format!("http://127.0.0.1:{}", server.port)));
    let dir = std::env::temp_dir().join(format!("deploykit-kms-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("artifact.zip");
    std::fs::write(&path, b"zip").unwrap();
    let options = UploadOptions::default().kms_key_id("wrong-key");
    let error = upload(&client, &path, &options)
        .await
        .expect_err("S3 refuses the key");
    let request = server.request.join().expect("the server thread");
    assert!(
        request.contains("x-amz-server-side-encryption-aws-kms-key-id: wrong-key"),
        "{request}"
    );
    assert_eq!(error.code(), Some("KMS.NotFoundException"));
    assert!(
        error
            .help()
            .is_some_and(|help| help.contains("--kms-key-id")),
        "{:?}",
        error.help()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
