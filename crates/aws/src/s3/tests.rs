use aws_config::SdkConfig;
use aws_credential_types::credential_fn::provide_credentials_fn;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::provider::error::CredentialsError;
use aws_types::origin::Origin;
use aws_types::service_config::{LoadServiceConfig, ServiceConfigKey};

use super::*;
use crate::testing::{closed_port, config, config_with, response, serve_once};

/// Service-specific settings, as `AWS_ENDPOINT_URL_<SERVICE>` or a profile's `services` section
/// would give them: (service id, value).
#[derive(Debug)]
struct ServiceSettings(&'static [(&'static str, &'static str)]);

impl LoadServiceConfig for ServiceSettings {
    fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
        assert_eq!(
            (key.env(), key.profile()),
            ("AWS_ENDPOINT_URL", "endpoint_url")
        );
        let found = self
            .0
            .iter()
            .find(|(service, _)| *service == key.service_id());
        found.map(|(_, value)| (*value).to_owned())
    }
}

fn sdk_config(shared: Option<&str>, services: ServiceSettings, origin: Origin) -> SdkConfig {
    let mut builder = SdkConfig::builder().service_config(services);
    builder.set_endpoint_url(shared.map(str::to_owned));
    builder.insert_origin("endpoint_url", origin);
    builder.build()
}

#[test]
fn path_style_only_when_the_endpoint_is_overridden() {
    assert!(!needs_path_style(None));
    assert!(!needs_path_style(Some("")));
    assert!(!needs_path_style(Some("  ")));
    assert!(needs_path_style(Some("http://localhost:4566")));
    assert!(needs_path_style(Some("http://127.0.0.1:5000")));
    assert!(needs_path_style(Some("https://s3.eu-west-1.amazonaws.com")));
}

#[test]
fn no_override_without_any_endpoint_setting() {
    let config = sdk_config(None, ServiceSettings(&[]), Origin::unknown());
    assert_eq!(endpoint_override(&config), None);
    assert_eq!(endpoint_override(&SdkConfig::builder().build()), None);
}

#[test]
fn the_shared_endpoint_from_the_environment_is_an_override() {
    let env = Origin::shared_environment_variable();
    let config = sdk_config(Some("http://localhost:5000"), ServiceSettings(&[]), env);
    assert_eq!(
        endpoint_override(&config).as_deref(),
        Some("http://localhost:5000")
    );
}

#[test]
fn the_s3_specific_endpoint_wins_over_the_shared_one() {
    let services = ServiceSettings(&[("S3", "http://localhost:9000"), ("ECS", "http://ecs")]);
    let env = Origin::shared_environment_variable();
    let config = sdk_config(Some("http://localhost:5000"), services, env);
    assert_eq!(
        endpoint_override(&config).as_deref(),
        Some("http://localhost:9000")
    );

    // Only `AWS_ENDPOINT_URL_S3`, no shared endpoint: still an override.
    let services = ServiceSettings(&[("S3", "http://localhost:9000")]);
    let config = sdk_config(None, services, Origin::unknown());
    assert_eq!(
        endpoint_override(&config).as_deref(),
        Some("http://localhost:9000")
    );

    // Another service's endpoint is not S3's.
    let services = ServiceSettings(&[("ECS", "http://ecs")]);
    assert_eq!(
        endpoint_override(&sdk_config(None, services, Origin::unknown())),
        None
    );
}

#[test]
fn an_endpoint_set_in_code_wins_over_the_environment() {
    let services = ServiceSettings(&[("S3", "http://localhost:9000")]);
    let code = Origin::shared_config();
    let config = sdk_config(Some("http://127.0.0.1:7000"), services, code);
    assert_eq!(
        endpoint_override(&config).as_deref(),
        Some("http://127.0.0.1:7000")
    );
}

/// The quirk itself, over real HTTP: with `localhost`, the bucket goes into the path and the
/// host stays `localhost`, so no `bucket.localhost` DNS lookup happens.
#[tokio::test]
async fn a_localhost_endpoint_puts_the_bucket_in_the_path() {
    let server = serve_once(response(
        "200 OK",
        "ETag: \"abc\"\r\nx-amz-version-id: v1\r\n",
        "",
    ));
    let client = client(&config(&format!("http://localhost:{}", server.port)));
    let outcome = put_object(&client, "artifacts", "app/source.zip", b"zip".to_vec()).await;
    let outcome = outcome.expect("the put succeeds");
    let request = server.request.join().expect("the server thread");
    assert!(
        request.starts_with("PUT /artifacts/app/source.zip"),
        "{request}"
    );
    assert!(
        request.contains(&format!("host: localhost:{}", server.port)),
        "{request}"
    );
    assert_eq!(outcome.etag.as_deref(), Some("\"abc\""));
    assert_eq!(outcome.version_id.as_deref(), Some("v1"));
}

#[tokio::test]
async fn get_object_into_streams_the_body_into_the_writer() {
    let server = serve_once(response("200 OK", "", "hello world"));
    let client = client(&config(&format!("http://127.0.0.1:{}", server.port)));
    let mut sink = Vec::new();
    let written = get_object_into(&client, "b", "k", &mut sink)
        .await
        .expect("the get succeeds");
    server.request.join().expect("the server thread");
    assert_eq!((written, sink.as_slice()), (11, b"hello world".as_slice()));
}

#[tokio::test]
async fn a_missing_file_is_reported_before_any_request() {
    let client = client(&config("http://127.0.0.1:9"));
    let path = Path::new("/nonexistent/deploykit/artifact.zip");
    let error = put_file(&client, "b", "k.zip", path).await.unwrap_err();
    assert!(matches!(error.cause(), Cause::File { .. }), "{error:?}");
    assert!(
        error.to_string().starts_with(
            "`s3:PutObject` failed: cannot read `/nonexistent/deploykit/artifact.zip`: "
        ),
        "{error}"
    );
    assert!(
        error.to_string().ends_with("(bucket `b`, key `k.zip`)"),
        "{error}"
    );
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
    let client = client(&config(&format!("http://127.0.0.1:{}", server.port)));
    let error = get_object(&client, "artifacts", "app/source.zip")
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
    let client = client(&config(&format!("http://127.0.0.1:{}", closed_port())));
    let error = get_object(&client, "artifacts", "k").await.unwrap_err();
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
    let error = get_object(&client(&config), "artifacts", "k")
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
