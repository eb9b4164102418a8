use clap::{CommandFactory, FromArgMatches};

use super::*;

const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const SHA: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// The configuration of `args` as clap parses them with no environment: the test process may
/// itself run in CodeBuild. A variable and its flag land in the same field, so the flags stand
/// in for the variables here; `tests/imagedefs_config.rs` runs the program with them.
fn parse(args: &[&str]) -> Result<Config, CliError> {
    let matches = Cli::command()
        .mut_args(|arg| arg.env(None))
        .try_get_matches_from(std::iter::once("ecs-imagedefs").chain(args.iter().copied()))
        .expect("clap accepts the arguments");
    Config::try_from(Cli::from_arg_matches(&matches).expect("the arguments fit `Cli`"))
}

fn error(args: &[&str]) -> String {
    parse(args).unwrap_err().to_string()
}

fn definitions(args: &[&str]) -> Definitions {
    match parse(args).unwrap() {
        Config::Definitions(definitions) => definitions,
        other => panic!("not imagedefinitions.json: {other:?}"),
    }
}

fn image(args: &[&str]) -> String {
    let [entry] = <[Entry; 1]>::try_from(definitions(args).entries).expect("one entry");
    entry.definition.image_uri
}

fn pair(name: &str, image: &str, origin: &str) -> Entry {
    Entry {
        definition: ImageDefinition {
            name: name.to_owned(),
            image_uri: image.to_owned(),
        },
        origin: origin.to_owned(),
    }
}

#[test]
fn pairs_are_split_once_and_named_by_their_argument() {
    let config = definitions(&["web=web:1", "log=a=b:2", "--taskdef", "taskdef.json"]);
    assert_eq!(
        config,
        Definitions {
            entries: vec![
                pair("web", "web:1", "argument `web=web:1`"),
                pair("log", "a=b:2", "argument `log=a=b:2`"),
            ],
            taskdef: Some(PathBuf::from("taskdef.json")),
            policy: TagPolicy::default(),
            output: PathBuf::from("imagedefinitions.json"),
        }
    );
    assert_eq!(
        error(&["web"]),
        "error: `web` is not a `NAME=IMAGE` pair\nhelp: name the container the image is for: `web=<repository>:<tag>`"
    );
}

#[test]
fn without_pairs_the_build_names_the_one_image() {
    let repository = format!("{ECR}/web");
    let build = ["--container-name", "web", "--repository-uri", &repository];
    let config =
        definitions(&[&build[..], &["--image-tag", "1a2b3c4", "--revision", "ff"]].concat());
    assert_eq!(
        config.entries,
        [pair(
            "web",
            &format!("{repository}:1a2b3c4"),
            "CONTAINER_NAME, REPOSITORY_URI and IMAGE_TAG"
        )]
    );
    // The commit stands in for a missing or empty tag; an empty value is no value.
    for tag in [&[][..], &["--image-tag", ""]] {
        assert_eq!(
            image(&[&build[..], tag, &["--revision", "0f3c5d2"]].concat()),
            format!("{repository}:0f3c5d2")
        );
    }
    assert_eq!(
        error(&[&build[..], &["--image-tag", "", "--revision", ""]].concat()),
        "error: neither IMAGE_TAG nor CODEBUILD_RESOLVED_SOURCE_VERSION is set\nhelp: set IMAGE_TAG \
         to the tag you pushed, such as the commit id; ecs-imagedefs never falls back to `latest`"
    );
}

#[test]
fn says_which_part_of_the_build_image_is_missing_or_wrong() {
    assert_eq!(
        error(&["--container-name", ""]),
        "error: no `NAME=IMAGE` pairs were given, and CONTAINER_NAME is not set\nhelp: give pairs \
         such as `web=<repository>:<tag>`, or set CONTAINER_NAME, REPOSITORY_URI and IMAGE_TAG"
    );
    assert!(
        error(&["--container-name", "web", "--image-tag", "1"])
            .starts_with("error: REPOSITORY_URI is not set\n")
    );
    assert_eq!(
        error(&[
            "--container-name",
            "web",
            "--repository-uri",
            "web:v1",
            "--image-tag",
            "v2"
        ]),
        "error: REPOSITORY_URI `web:v1` already has a tag or digest\nhelp: set REPOSITORY_URI to \
         `web` and the tag in IMAGE_TAG"
    );
    assert!(
        error(&[
            "--container-name",
            "web",
            "--repository-uri",
            "web",
            "--revision",
            "3/L4+Y"
        ])
        .starts_with(
            "error: CODEBUILD_RESOLVED_SOURCE_VERSION `3/L4+Y` is not a valid image tag: "
        )
    );
}

#[test]
fn a_digest_pins_exactly_one_image() {
    assert_eq!(image(&["--digest", SHA, "web=web:1"]), format!("web@{SHA}"));
    assert_eq!(
        error(&["--digest", SHA, "web=web:1", "api=api:1"]),
        "error: --digest pins one image, and several were given\nhelp: write each image as \
         `name=<repository>@sha256:…` instead"
    );
    assert!(
        error(&["--digest", "sha256:xyz", "web=web:1"])
            .starts_with("error: `sha256:xyz` is not a digest: ")
    );
}

#[test]
fn image_detail_comes_from_the_flag_or_the_build() {
    let Config::Detail(config) =
        parse(&["--image-detail", "web:1", "--allow-mutable-tag"]).unwrap()
    else {
        panic!("not imageDetail.json");
    };
    assert_eq!(config.image.image_uri, "web:1");
    assert_eq!(config.origin, "--image-detail `web:1`");
    assert!(config.policy.allow_mutable_tags);
    assert_eq!(config.output, PathBuf::from("imageDetail.json"));

    let Config::Detail(config) = parse(&[
        "--image-detail",
        "--repository-uri",
        "web",
        "--revision",
        "abc",
        "-o",
        "-",
    ])
    .unwrap() else {
        panic!("not imageDetail.json");
    };
    assert_eq!(config.image.image_uri, "web:abc");
    assert_eq!(config.origin, "REPOSITORY_URI and IMAGE_TAG");
    assert_eq!(config.output, PathBuf::from("-"));

    assert!(
        error(&[
            "--image-detail",
            &format!("web@{SHA}"),
            "--digest",
            &SHA.replace('0', "1")
        ])
        .contains("already names the digest")
    );
}

#[test]
fn check_reads_the_kind_and_the_policy() {
    assert_eq!(
        parse(&[
            "check",
            "a.json",
            "b.json",
            "--kind",
            "image-detail",
            "--format",
            "json"
        ])
        .unwrap(),
        Config::Check(Check {
            files: vec![PathBuf::from("a.json"), PathBuf::from("b.json")],
            kind: Some(ImageFileKind::ImageDetail),
            taskdef: None,
            policy: TagPolicy::default(),
            format: Format::Json,
            reports: vec![],
        })
    );
}
