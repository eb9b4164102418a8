use proptest::prelude::*;

use super::*;
use crate::location::Column;

const SHA: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn found_with(text: &str, policy: &Policy) -> Vec<(&'static str, String)> {
    check(text.as_bytes(), policy)
        .findings
        .into_iter()
        .map(|f| (f.rule, f.shown_location().unwrap_or_default()))
        .collect()
}

fn found(text: &str) -> Vec<(&'static str, String)> {
    found_with(text, &Policy::default())
}

fn at(rule: &'static str, line: usize, column: usize) -> (&'static str, String) {
    (rule, format!("line {line}, column {column}"))
}

#[test]
fn latest_untagged_and_mixed_case() {
    assert_eq!(found("FROM nginx\n"), [at("untagged-image", 1, 6)]);
    assert_eq!(found("FROM nginx:latest\n"), [at("latest-tag", 1, 6)]);
    assert_eq!(found("FROM nginx:LATEST\n"), [at("latest-tag", 1, 6)]);
    assert!(found("FROM nginx:1.27-alpine\n").is_empty());
}

#[test]
fn a_port_is_not_a_tag() {
    assert_eq!(
        found("FROM localhost:5000/app\n"),
        [at("untagged-image", 1, 6)]
    );
    assert_eq!(
        found("FROM reg.example.com:5000/app\n"),
        [at("untagged-image", 1, 6)]
    );
    assert!(found("FROM localhost:5000/app:1.0\n").is_empty());
}

#[test]
fn a_digest_pins_whatever_the_tag_says() {
    assert!(found(&format!("FROM app:latest@{SHA}\n")).is_empty());
    assert!(found(&format!("FROM app@{SHA}\n")).is_empty());
}

#[test]
fn platform_flags_and_arg_defaults_resolve_like_buildkit() {
    let text = "ARG GO_VERSION=1.22\nFROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build\nRUN go build\n";
    assert!(found(text).is_empty());
    let latest = "ARG TAG=latest\nFROM --platform=$BUILDPLATFORM app:${TAG}\n";
    assert_eq!(found(latest), [at("latest-tag", 2, 32)]);
    let whole = "ARG BASE=python:3.11\nFROM ${BASE}\n";
    assert!(found(whole).is_empty());
    let default_syntax = "FROM app:${TAG:-latest}\n";
    assert_eq!(found(default_syntax), [at("latest-tag", 1, 6)]);
    let arch = "FROM base-${TARGETARCH}:1.0\n";
    assert!(found(arch).is_empty());
}

#[test]
fn build_args_override_defaults() {
    let text = "ARG TAG=latest\nFROM app:$TAG\n";
    let policy = Policy {
        build_args: vec![("TAG".to_owned(), "1.2".to_owned())],
        ..Policy::default()
    };
    assert!(found_with(text, &policy).is_empty());
}

#[test]
fn an_arg_without_default_is_unresolved_not_guessed() {
    let text = "ARG GO_VERSION\nFROM golang:${GO_VERSION}\n";
    let findings = check(text.as_bytes(), &Policy::default()).findings;
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, "unresolved-variable");
    assert!(
        findings[0].message.contains("`GO_VERSION`"),
        "{}",
        findings[0].message
    );
    assert_eq!(
        found("FROM app:${NEVER_DECLARED}\n")[0].0,
        "unresolved-variable"
    );
}

#[test]
fn stage_args_need_redeclaring() {
    // The global ARG is not visible in the stage until `ARG TAG` re-declares it.
    let text = "ARG TAG=latest\nFROM alpine:3.20\nCOPY --from=app:${TAG} /a /a\n";
    assert_eq!(found(text)[0].0, "unresolved-variable");
    let redeclared = "ARG TAG=latest\nFROM alpine:3.20\nARG TAG\nCOPY --from=app:${TAG} /a /a\n";
    assert_eq!(found(redeclared), [at("latest-tag", 4, 13)]);
}

#[test]
fn stage_aliases_scratch_and_copy_from() {
    let text = "FROM golang:1.22 AS Builder\nRUN go build \\\n    -o /app\n# FROM nginx\nFROM scratch\nCOPY --from=builder /app /app\nCOPY --from=0 /app /app2\nCOPY --from=nginx /etc/nginx /etc/nginx\nFROM builder\n";
    assert_eq!(found(text), [at("untagged-image", 8, 13)]);
}

#[test]
fn require_digest_and_deny_list() {
    let policy = Policy {
        require_digest: true,
        deny: vec!["latest".to_owned(), "stable".to_owned()],
        ..Policy::default()
    };
    assert_eq!(
        found_with("FROM app:Stable\n", &policy),
        [at("denied-tag", 1, 6), at("missing-digest", 1, 6)]
    );
    assert!(found_with(&format!("FROM app:1@{SHA}\n"), &policy).is_empty());
}

#[test]
fn allow_list_exempts_images() {
    let policy = Policy {
        allow: vec!["public.ecr.aws/aws-observability/*".to_owned()],
        ..Policy::default()
    };
    assert!(
        found_with(
            "FROM public.ecr.aws/aws-observability/aws-for-fluent-bit:latest\n",
            &policy
        )
        .is_empty()
    );
}

#[test]
fn run_mount_from_is_an_image_unless_it_names_a_stage() {
    let text = "FROM golang:1.22 AS build\n\
        RUN --mount=type=bind,from=build,source=/out,target=/in cp /in/app /app\n\
        RUN --mount=type=cache,target=/root/.cache,from=alpine go build\n\
        RUN --mount=type=bind,from=ghcr.io/acme/tools:latest,target=/t --mount=type=tmpfs,target=/tmp,from=busybox:1.36 true\n\
        RUN --mount=type=secret,id=npmrc --mount=from=0,target=/z true\n";
    assert_eq!(
        found(text),
        [at("untagged-image", 3, 49), at("latest-tag", 4, 28)]
    );
    // A continued value is joined as BuildKit joins the lines; it is located at its start.
    let continued = "FROM alpine:3.20\nRUN --mount=type=bind,\\\nfrom=nginx,target=/x true\n";
    assert_eq!(found(continued), [at("untagged-image", 2, 13)]);
    // Whitespace after the continuation ends the flag: `from=nginx,…` is the command.
    let command = "FROM alpine:3.20\nRUN --mount=type=bind,\\\n  from=nginx,target=/x true\n";
    assert!(found(command).is_empty());
}

#[test]
fn run_mount_from_resolves_args_in_the_stage_scope() {
    let text = "ARG TOOLS=tools:latest\nFROM alpine:3.20\nRUN --mount=from=${TOOLS},target=/t true\nARG TOOLS\nRUN --mount=from=${TOOLS},target=/t true\n";
    assert_eq!(
        found(text),
        [at("unresolved-variable", 3, 18), at("latest-tag", 5, 18)]
    );
    let policy = Policy {
        build_args: vec![("TOOLS".to_owned(), "tools:2.1".to_owned())],
        ..Policy::default()
    };
    assert_eq!(
        found_with(text, &policy),
        [at("unresolved-variable", 3, 18)]
    );
}

#[test]
fn the_syntax_frontend_is_an_image_and_a_major_version_is_a_tag() {
    let with = |syntax: &str| format!("# syntax={syntax}\nFROM alpine:3.20\n");
    assert_eq!(
        found(&with("docker/dockerfile")),
        [at("untagged-image", 1, 10)]
    );
    assert_eq!(
        found(&with("docker/dockerfile:latest")),
        [at("latest-tag", 1, 10)]
    );
    assert!(found(&with("docker/dockerfile:1")).is_empty());
    assert!(found(&with("docker.io/docker/dockerfile:1.7")).is_empty());
    assert!(found(&with(&format!("docker/dockerfile:1@{SHA}"))).is_empty());
    let pinned = Policy {
        require_digest: true,
        ..Policy::default()
    };
    let text = format!("# syntax=docker/dockerfile:1\nFROM alpine@{SHA}\n");
    assert_eq!(found_with(&text, &pinned), [at("missing-digest", 1, 10)]);
    // After a comment it is a comment, not a directive.
    assert!(found("# built by CI\n# syntax=docker/dockerfile\nFROM alpine:3.20\n").is_empty());
}

#[test]
fn onbuild_triggers_are_judged_for_the_build_they_run_in() {
    let text = "FROM alpine:3.20 AS base\nARG TAG=1.0\n\
        ONBUILD COPY --from=nginx:latest /a /b\n\
        ONBUILD COPY --from=build /a /b\n\
        ONBUILD RUN --mount=from=ghcr.io/acme/tools,target=/t true\n\
        ONBUILD COPY --from=app:${TAG} /a /b\n\
        ONBUILD COPY --from=app-${TARGETARCH}:2 /a /b\n";
    assert_eq!(
        found(text),
        [
            at("latest-tag", 3, 21),
            at("untagged-image", 5, 26),
            at("unresolved-variable", 6, 21),
        ]
    );
}

#[test]
fn trusted_registries_cover_every_pulled_image() {
    let text = "# syntax=docker/dockerfile:1\n\
        FROM golang:1.22 AS build\n\
        FROM gcr.io/distroless/static:nonroot\n\
        COPY --from=build /app /app\n\
        COPY --from=gcr.io/distroless-evil/x:1 /x /x\n\
        RUN --mount=from=evil.example/docker.io/golang:1.22,target=/t true\n\
        FROM scratch\n\
        FROM ${BASE}:1\n";
    let policy = Policy {
        trusted: ["gcr.io/distroless", "golang"]
            .iter()
            .map(|prefix| trust::TrustedPrefix::parse(prefix).unwrap())
            .collect(),
        ..Policy::default()
    };
    assert_eq!(
        found_with(text, &policy),
        [
            at("untrusted-registry", 1, 10),
            at("untrusted-registry", 5, 13),
            at("untrusted-registry", 6, 18),
        ]
    );
    assert!(found(text).is_empty());
}

#[test]
fn unparsable_files_are_findings() {
    assert_eq!(found("FROM\n")[0].0, "invalid-file");
    assert_eq!(found("FROM Bad_Name\n")[0].0, "invalid-file");
}

#[test]
fn expansion_forms() {
    let scope: HashMap<String, Option<String>> = [
        ("A".to_owned(), Some("1".to_owned())),
        ("E".to_owned(), Some(String::new())),
    ]
    .into();
    assert_eq!(expand("x$A-${A}", &scope), Ok("x1-1".to_owned()));
    assert_eq!(
        expand("${E:-d}${E-d}${B:+y}${A:+y}", &scope),
        Ok("dy".to_owned())
    );
    assert_eq!(expand("${B}", &scope), Err(vec!["B".to_owned()]));
}

/// A Dockerfile line built from the parts the scanner handles: ARG scopes, `FROM` with flags
/// and aliases, `COPY --from`, `RUN --mount`, `ONBUILD`, variables, comments, continuations
/// and multi-byte text (columns count characters, offsets count bytes).
fn dockerfile_line() -> impl Strategy<Value = String> {
    let word = "[a-zé_${}:/@.0-9-]{0,12}";
    prop_oneof![
        (word, prop::option::of(word)).prop_map(|(name, default)| match default {
            Some(default) => format!("ARG {name}={default}"),
            None => format!("ARG {name}"),
        }),
        (word, prop::option::of("[a-zé]{1,6}"), any::<bool>()).prop_map(
            |(image, alias, platform)| {
                let platform = if platform {
                    "--platform=$BUILDPLATFORM "
                } else {
                    ""
                };
                let alias = alias
                    .map(|alias| format!(" AS {alias}"))
                    .unwrap_or_default();
                format!("FROM {platform}{image}{alias}")
            }
        ),
        word.prop_map(|from| format!("COPY --from={from} /a /b")),
        word.prop_map(|from| format!("RUN --mount=type=cache,target=/c,from={from} true")),
        word.prop_map(|from| format!("ONBUILD COPY --from={from} /a /b")),
        "[ \tA-Za-z0-9é$={}#\\\\\"'-]{0,24}",
        Just("# syntax=docker/dockerfile:1".to_owned()),
        Just("RUN echo \\".to_owned()),
        Just("RUN <<EOF".to_owned()),
        Just("EOF".to_owned()),
    ]
}

/// `(line, column)` of a finding located at a line and column.
fn line_and_column(finding: &Finding) -> Option<(usize, usize)> {
    let position = finding.location.as_ref()?.position()?;
    match position.column? {
        Column::Character(column) => Some((position.line, column)),
        Column::Byte(_) => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The scanner never panics, and every position it reports is a line of the input and a
    /// column of that line (or just past its end).
    #[test]
    fn positions_are_inside_the_input(
        lines in prop::collection::vec(dockerfile_line(), 0..10),
        crlf in any::<bool>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let scan = check(text.as_bytes(), &Policy::default());
        let widths: Vec<usize> = text.split('\n').map(|line| line.chars().count()).collect();
        for finding in &scan.findings {
            let Some((line, column)) = line_and_column(finding) else { continue };
            prop_assert!((1..=widths.len()).contains(&line), "{:?}\n{}", finding, text);
            prop_assert!(
                (1..=widths[line - 1] + 1).contains(&column),
                "{:?}\n{}", finding, text
            );
        }
    }
}

/// Found by the property above: a file without `FROM` was reported at `line 0, column 0`,
/// and an error past line 1 at the column of its line's start in the file.
#[test]
fn parse_errors_are_placed_only_where_the_parser_is_right() {
    let none = check(b"", &Policy::default()).findings;
    assert_eq!(none[0].rule, "invalid-file");
    assert_eq!(none[0].location, None);
    assert_eq!(
        none[0].message,
        "the Dockerfile cannot be parsed: expected at least one FROM instruction"
    );
    let later = check(b"FROM app:1\nRUN echo\nFROM\n", &Policy::default()).findings;
    assert_eq!(later[0].location_str(), Some("line 3"));
    assert!(
        !later[0].message.contains(" at line "),
        "{}",
        later[0].message
    );
    let first = check("FROM é:1 AS x AS y\n".as_bytes(), &Policy::default()).findings;
    assert_eq!(first[0].rule, "invalid-file", "{first:?}");
    let location = first[0].location_str().unwrap();
    let (line, column) = line_and_column(&first[0]).unwrap();
    assert_eq!(line, 1);
    assert!(
        column <= "FROM é:1 AS x AS y".chars().count() + 1,
        "{location}"
    );
}
