use aws_credential_types::credential_fn::provide_credentials_fn;
use aws_credential_types::provider::SharedCredentialsProvider;

use super::*;
use crate::s3;
use crate::testing::{closed_port, config, config_with, response, serve_once};

fn service(code: Option<&str>, status: u16) -> AwsError {
    AwsError::new(
        "s3:GetObject",
        Resource::S3Object {
            bucket: "artifacts".into(),
            key: "app/source.zip".into(),
        },
        Cause::Service {
            code: code.map(str::to_owned),
            message: None,
            status: Some(status),
        },
    )
}

fn help(code: Option<&str>, status: u16) -> String {
    service(code, status).help().unwrap_or_default()
}

#[test]
fn tidies_messages_into_the_house_style() {
    assert_eq!(
        tidy("The specified bucket does not exist."),
        "the specified bucket does not exist"
    );
    assert_eq!(
        tidy("Connection refused (os error 111)"),
        "connection refused (os error 111)"
    );
    assert_eq!(tidy("NoSuchBucket happened"), "NoSuchBucket happened");
    assert_eq!(tidy("S3 is down"), "S3 is down");
    assert_eq!(tidy("AWS said no"), "AWS said no");
    assert_eq!(tidy("  "), "");
}

#[test]
fn help_for_the_common_error_codes() {
    assert!(help(Some("NoSuchBucket"), 404).contains("`aws s3 mb s3://artifacts`"));
    assert!(
        help(Some("NoSuchKey"), 404).contains("no object `app/source.zip` in bucket `artifacts`")
    );
    assert!(help(None, 404).contains("`aws s3 ls s3://artifacts/`"));
    for access in [help(Some("AccessDenied"), 403), help(None, 403)] {
        assert!(
            access.contains("may not `s3:GetObject` on bucket `artifacts`, key `app/source.zip`"),
            "{access}"
        );
        assert!(access.contains("`aws sts get-caller-identity`"), "{access}");
    }
    assert!(help(Some("ExpiredToken"), 400).contains("session has expired"));
    assert!(help(Some("InvalidAccessKeyId"), 403).contains("`AWS_ACCESS_KEY_ID`"));
    assert!(help(Some("SignatureDoesNotMatch"), 403).contains("`AWS_SECRET_ACCESS_KEY`"));
    assert!(help(Some("PermanentRedirect"), 301).contains("set `AWS_REGION`"));
    assert!(help(Some("SlowDown"), 503).contains("throttling"));
    assert_eq!(service(Some("InternalError"), 500).help(), None);
}

#[test]
fn help_never_ends_with_a_period() {
    let codes = [
        Some("NoSuchBucket"),
        Some("AccessDenied"),
        Some("ExpiredToken"),
        None,
    ];
    for code in codes {
        let help = help(code, 404);
        assert!(!help.ends_with('.') && help.chars().next().is_some_and(char::is_lowercase));
    }
}

#[test]
fn not_found_covers_codes_and_bodiless_404s() {
    assert!(service(Some("NoSuchBucket"), 404).is_not_found());
    assert!(service(Some("NoSuchKey"), 404).is_not_found());
    assert!(service(None, 404).is_not_found());
    assert!(!service(Some("AccessDenied"), 403).is_not_found());
}

#[test]
fn displays_what_then_where() {
    let error = service(None, 404);
    assert_eq!(
        error.to_string(),
        "`s3:GetObject` failed with HTTP 404 (bucket `artifacts`, key `app/source.zip`)"
    );
    assert_eq!(error.what(), "`s3:GetObject` failed with HTTP 404");
    assert_eq!(error.location(), "bucket `artifacts`, key `app/source.zip`");
}

/// An error answer, over real HTTP, becomes code, tidied message and status.
#[tokio::test]
async fn a_service_error_keeps_code_message_and_status() {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket</Code>\
                <Message>The specified bucket does not exist.</Message></Error>";
    let server = serve_once(response(
        "404 Not Found",
        "Content-Type: application/xml\r\n",
        body,
    ));
    let client = s3::client(&config(&format!("http://127.0.0.1:{}", server.port)));
    let error = s3::get_object(&client, "artifacts", "app/source.zip")
        .await
        .unwrap_err();
    server.request.join().expect("the server thread");
    assert_eq!(
        error.to_string(),
        "`s3:GetObject` failed with `NoSuchBucket`: the specified bucket does not exist \
         (bucket `artifacts`, key `app/source.zip`)"
    );
    assert_eq!(
        (error.code(), error.status()),
        (Some("NoSuchBucket"), Some(404))
    );
    assert!(
        error.detail().contains("NoSuchBucket"),
        "{}",
        error.detail()
    );
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let client = s3::client(&config(&format!("http://127.0.0.1:{}", closed_port())));
    let error = s3::get_object(&client, "artifacts", "k").await.unwrap_err();
    let Cause::Unreachable { reason } = error.cause() else {
        panic!("{error:?}")
    };
    assert!(reason.contains("refused"), "{reason}");
    assert!(
        error
            .to_string()
            .starts_with("`s3:GetObject` failed: the endpoint could not be reached: ")
    );
    assert!(error.help().unwrap().contains("is the endpoint running"));
}

#[tokio::test]
async fn missing_credentials_are_named_as_such_and_not_sent() {
    let none = provide_credentials_fn(|| async {
        Err(CredentialsError::not_loaded(
            "no providers in chain provided credentials",
        ))
    });
    let port = closed_port();
    let config = config_with(
        &format!("http://127.0.0.1:{port}"),
        SharedCredentialsProvider::new(none),
    );
    let error = s3::get_object(&s3::client(&config), "artifacts", "k")
        .await
        .unwrap_err();
    assert!(
        matches!(error.cause(), Cause::Credentials { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("`s3:GetObject` failed: no usable AWS credentials: "),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("no providers in chain provided credentials"),
        "{error}"
    );
    assert!(error.help().unwrap().contains("`AWS_PROFILE`"));
}
