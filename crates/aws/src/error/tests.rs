use super::*;

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
fn access_denied_covers_ec2s_own_code() {
    assert!(service(Some("AccessDeniedException"), 400).is_access_denied());
    assert!(service(Some("UnauthorizedOperation"), 403).is_access_denied());
    assert!(!service(Some("InvalidSubnetID.NotFound"), 400).is_access_denied());
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

#[test]
fn only_throttling_server_errors_and_timeouts_are_transient() {
    for (code, status) in [
        (Some("ThrottlingException"), 400),
        (Some("Throttling"), 400),
        (Some("TooManyRequestsException"), 429),
        (Some("SlowDown"), 503),
        (Some("InternalError"), 500),
        (None, 502),
    ] {
        assert!(service(code, status).is_transient(), "{code:?} {status}");
    }
    for (code, status) in [
        (Some("AccessDenied"), 403),
        (Some("NoSuchKey"), 404),
        (Some("ValidationException"), 400),
        (None, 404),
    ] {
        assert!(!service(code, status).is_transient(), "{code:?} {status}");
    }
    let resource = Resource::Pipeline { name: "web".into() };
    let with = |cause| AwsError::new("codepipeline:GetPipelineState", resource.clone(), cause);
    assert!(with(Cause::Timeout).is_transient());
    let refused = Cause::Unreachable {
        reason: "connection refused".into(),
    };
    assert!(
        !with(refused).is_transient(),
        "a wrong endpoint fails at once"
    );
    let credentials = Cause::Credentials {
        reason: "no profile".into(),
    };
    assert!(!with(credentials).is_transient());
}
