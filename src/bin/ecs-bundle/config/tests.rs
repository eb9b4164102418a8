use clap::{CommandFactory, FromArgMatches};

use super::*;

/// The configuration of `args` as clap parses them with no environment: the test process may
/// itself run in CodeBuild. A variable and its flag land in the same field, so the flags stand
/// in for the variables here; `tests/bundle_config.rs` runs the program with them.
fn parse(args: &[&str]) -> Result<Config, CliError> {
    let matches = Cli::command()
        .mut_args(|arg| arg.env(None))
        .try_get_matches_from(std::iter::once("ecs-bundle").chain(args.iter().copied()))
        .expect("clap accepts the arguments");
    Config::try_from(Cli::from_arg_matches(&matches).expect("the arguments fit `Cli`"))
}

fn error(args: &[&str]) -> String {
    parse(args).unwrap_err().to_string()
}

fn zip(args: &[&str]) -> Zip {
    match parse(&[&["taskdef.json", "-o", "out/deploy.zip"], args].concat()).unwrap() {
        Config::Zip(zip) => *zip,
        other => panic!("not a zip: {other:?}"),
    }
}

#[test]
fn for_names_the_action_its_files_and_its_limit() {
    assert_eq!(
        zip(&[]).deploy,
        Deploy {
            action: None,
            files: &[],
            max_bytes: None,
        }
    );
    let ecs = zip(&["--for", "ecs"]).deploy;
    assert_eq!(
        ecs.action,
        Some(Action::Ecs {
            file_name: "imagedefinitions.json".to_owned()
        })
    );
    assert_eq!(ecs.files, ["imagedefinitions.json"]);
    assert_eq!(ecs.max_bytes, None);
    let blue_green = zip(&["--for", "blue-green"]).deploy;
    assert!(matches!(
        blue_green.action,
        Some(Action::BlueGreen { ref taskdef_path, ref appspec_path, .. })
            if taskdef_path == "taskdef.json" && appspec_path == "appspec.yaml"
    ));
    assert_eq!(
        blue_green.files,
        ["taskdef.json", "appspec.yaml", "imageDetail.json"]
    );
    assert_eq!(blue_green.max_bytes, Some(3_000_000));
}

#[test]
fn the_timestamp_is_seconds_since_1970_or_1980() {
    assert_eq!(zip(&[]).timestamp, Timestamp::default());
    assert_eq!(
        zip(&["--source-date-epoch", ""]).timestamp,
        Timestamp::default()
    );
    assert_eq!(
        zip(&["--source-date-epoch", " 1700000000\n"]).timestamp,
        Timestamp::from_unix(1_700_000_000).unwrap()
    );
    assert_eq!(
        error(&["a", "-o", "a.zip", "--source-date-epoch", "yesterday"]),
        "error: `SOURCE_DATE_EPOCH` is `yesterday`, not a number of seconds since 1970\nhelp: set \
         it to `git log -1 --format=%ct`, or unset it for 1980-01-01"
    );
    // Zip times end in 2107; before 1980 is 1980.
    assert_eq!(
        error(&["a", "-o", "a.zip", "--source-date-epoch", "5000000000"]),
        "error: the time `5000000000` is after 2107, the last year a zip can hold (SOURCE_DATE_EPOCH)"
    );
    assert_eq!(
        zip(&["--source-date-epoch=-1"]).timestamp,
        Timestamp::default()
    );
}

#[test]
fn the_upload_records_the_build_and_refuses_a_version() {
    let config = zip(&[
        "--upload",
        "s3://artifacts/web/deploy.zip",
        "--kms-key-id",
        "alias/codepipeline",
        "--revision",
        "4f2a9c1",
        "--build-id",
        "",
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(
        config.upload,
        Some(Upload {
            location: Location {
                bucket: "artifacts".to_owned(),
                key: "web/deploy.zip".to_owned(),
                version_id: None,
                shown: "s3://artifacts/web/deploy.zip".to_owned(),
            },
            kms_key_id: Some("alias/codepipeline".to_owned()),
            revision: Some("4f2a9c1".to_owned()),
            build_id: None,
        })
    );
    assert_eq!(config.aws.region(), Some("eu-west-1"));
    assert_eq!(
        error(&["a", "-o", "a.zip", "--upload", "s3://b/k?versionId=1"]),
        "error: `--upload s3://b/k?versionId=1` has a version id; S3 gives the version, it cannot be chosen"
    );
    assert_eq!(
        error(&["a", "-o", "a.zip", "--upload", "bucket/key"]),
        "error: `bucket/key` is not an S3 location: it does not start with `s3://` (--upload)\nhelp: \
         write it as `s3://bucket/key`, such as `s3://my-artifacts/web/deploy.zip`"
    );
}

#[test]
fn s3_locations_are_bucket_key_and_version() {
    let location = Location::parse("s3://b/a/b.zip?versionId=3sL4").unwrap();
    assert_eq!(
        (location.bucket.as_str(), location.key.as_str()),
        ("b", "a/b.zip")
    );
    assert_eq!(location.version_id.as_deref(), Some("3sL4"));
    for (text, why) in [
        ("s3://b/k?versionId=", "`versionId=` has no value"),
        ("s3://bucket", "it has no key after the bucket"),
        ("s3:///key", "the bucket name is empty"),
        ("s3://bucket/", "the key is empty"),
    ] {
        assert!(
            Location::parse(text)
                .unwrap_err()
                .to_string()
                .starts_with(&format!("error: `{text}` is not an S3 location: {why}\n")),
            "{text}"
        );
    }
}

#[test]
fn unpack_and_fetch_read_their_source() {
    let Config::Unpack(unpack) =
        parse(&["unpack", "s3://b/k.zip", "-d", "out", "--max-ratio", "9"]).unwrap()
    else {
        panic!("not unpack");
    };
    assert!(matches!(unpack.zip, ZipSource::S3(ref location) if location.key == "k.zip"));
    assert_eq!(unpack.limits.max_ratio, 9);
    let Config::Unpack(unpack) = parse(&["unpack", "k.zip", "-d", "out"]).unwrap() else {
        panic!("not unpack");
    };
    assert_eq!(unpack.zip, ZipSource::File("k.zip".to_owned()));
    assert!(
        error(&["fetch", "https://example.com/k.zip", "-o", "k.zip"])
            .contains("is not an S3 location")
    );
    let Config::Fetch(fetch) =
        parse(&["fetch", "s3://b/k", "-o", "k.zip", "--profile", "ci"]).unwrap()
    else {
        panic!("not fetch");
    };
    assert_eq!(fetch.output, PathBuf::from("k.zip"));
}
