//! Buildspec files: images pushed or tagged `:latest`, and tag variables that fall back to
//! `latest` when unset.
//!
//! Read line by line rather than as YAML: the commands are shell text inside YAML strings, and
//! the line is what a finding and a waiver need. AWS's own sample buildspec
//! (`IMAGE_TAG=${COMMIT_HASH:=latest}`, CodePipeline tutorial "ECS standard deployment") is the
//! fallback this catches; `docs/aws/image-references.md#buildspec-fallbacks-to-latest` lists the idioms.

use super::text::position;
use super::{Policy, Scan, rules, text_or_scan};
use crate::finding::Finding;

/// Docker commands whose image arguments are checked.
const IMAGE_COMMANDS: &[&str] = &["push", "tag", "build", "buildx", "pull", "run"];

/// Checks a buildspec.
#[must_use]
pub fn check(bytes: &[u8], policy: &Policy) -> Scan {
    let text = match text_or_scan(bytes) {
        Ok(text) => text,
        Err(scan) => return scan,
    };
    let mut scan = Scan::default();
    // The lines are scanned as text, but a file CodeBuild cannot parse (`YAML_FILE_ERROR`) must
    // not pass as clean just because no line names an image.
    let yaml = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if let Err(error) = serde_saphyr::from_str_with_options::<serde_json::Value>(
        yaml,
        crate::syntax::yaml_options(),
    ) {
        scan.findings
            .push(crate::syntax::yaml_error(&error).into_rule(rules::INVALID_FILE));
        return scan;
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let code = line.split(" #").next().unwrap_or(line);
        if !code.trim_start().starts_with('#') {
            fallbacks(text, offset, code, policy, &mut scan);
            docker_images(text, offset, code, policy, &mut scan);
        }
        offset += line.len();
    }
    scan
}

/// `${VAR:=latest}`, `${VAR:-latest}`, `${VAR=latest}` and `${VAR-latest}`: whenever the
/// variable is unset (a build started by hand, a missing source variable) the tag is `latest`.
fn fallbacks(text: &str, offset: usize, code: &str, policy: &Policy, scan: &mut Scan) {
    let mut search = 0;
    while let Some(start) = code[search..].find("${").map(|at| search + at) {
        let Some(end) = code[start..].find('}').map(|at| start + at) else {
            break;
        };
        let body = &code[start + 2..end];
        if let Some(split) = body.find([':', '-', '=']) {
            let (name, modifier) = body.split_at(split);
            let fallback = modifier.trim_start_matches(':');
            if let Some(value) = fallback
                .strip_prefix('-')
                .or_else(|| fallback.strip_prefix('='))
                && policy
                    .deny
                    .iter()
                    .any(|tag| tag.eq_ignore_ascii_case(value))
            {
                scan.findings.push(
                    Finding::error(
                        rules::LATEST_FALLBACK,
                        format!("`{}` falls back to `{value}` when `{name}` is unset", &code[start..=end]),
                    )
                    .at(position(text, offset + start))
                    .help(format!(
                        "fail instead: `${{{name}:?{name} must be set}}`, or fall back to the commit: `${{{name}:-$CODEBUILD_RESOLVED_SOURCE_VERSION}}`"
                    )),
                );
            }
        }
        search = end + 1;
    }
}

/// The image arguments of `docker push|tag|build|pull|run` and `-t`/`--tag`.
fn docker_images(text: &str, offset: usize, code: &str, policy: &Policy, scan: &mut Scan) {
    let words = words(code);
    let mut index = 0;
    while index < words.len() {
        if words[index].1 == "docker"
            && words
                .get(index + 1)
                .is_some_and(|(_, w)| IMAGE_COMMANDS.contains(w))
        {
            let command = words[index + 1].1;
            let mut next = index + 2;
            while let Some(&(at, word)) = words.get(next) {
                if word.starts_with(['&', '|', ';']) {
                    break;
                }
                let image = if word == "-t" || word == "--tag" {
                    next += 1;
                    words.get(next).copied()
                } else if let Some(value) = word.strip_prefix("--tag=") {
                    Some((at + 6, value))
                } else if word.starts_with('-') || command == "build" || command == "buildx" {
                    None
                } else {
                    Some((at, word))
                };
                if let Some((at, image)) = image {
                    check_word(text, offset + at, image, policy, scan);
                }
                if command == "run" && image.is_some() {
                    break;
                }
                next += 1;
            }
            index = next;
        }
        index += 1;
    }
}

/// The words of a command line with their offsets. A GitHub Actions expression is one word
/// whatever spaces it holds: `app:${{ github.sha }}` is an image whose tag is a variable, and
/// `github.sha` no image of its own
/// (<https://docs.github.com/en/actions/reference/workflows-and-actions/expressions>).
fn words(code: &str) -> Vec<(usize, &str)> {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut open = false;
    for word in code.split_whitespace() {
        let at = word.as_ptr() as usize - code.as_ptr() as usize;
        match words.last_mut() {
            Some((start, joined)) if open => *joined = &code[*start..at + word.len()],
            _ => words.push((at, word)),
        }
        let last = words.last().map_or("", |(_, joined)| *joined);
        open = last
            .rfind("${{")
            .is_some_and(|start| !last[start..].contains("}}"));
    }
    words
}

/// One word that names an image, possibly with shell variables in it.
fn check_word(text: &str, at: usize, word: &str, policy: &Policy, scan: &mut Scan) {
    let word = word.trim_matches(['"', '\'', ';']);
    let location = position(text, at);
    if !word.contains('$') {
        // A word that is no image reference (an option value, a path) is not ours to judge.
        if let Ok(reference) = crate::ImageReference::parse(word) {
            scan.findings
                .extend(super::check_reference(&reference, &location, policy));
            scan.images.push(super::ImageUse {
                reference,
                location,
                pinnable: false,
            });
        }
        return;
    }
    // `$REPOSITORY_URI:latest`: the tag is literal even when the repository is a variable.
    // A word whose tag is a variable (`$REPOSITORY_URI:$IMAGE_TAG`) says nothing here.
    scan.findings
        .extend(super::literal_tag(word, &location, policy).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_of(text: &str) -> Vec<(&'static str, String)> {
        check(text.as_bytes(), &Policy::default())
            .findings
            .into_iter()
            .map(|f| (f.rule, f.shown_location().unwrap_or_default()))
            .collect()
    }

    #[test]
    fn the_aws_sample_fallback_is_found() {
        let text = "phases:\n  pre_build:\n    commands:\n      - IMAGE_TAG=${COMMIT_HASH:=latest}\n      - TAG=${X:-LATEST}\n      - OK=${X:-$CODEBUILD_RESOLVED_SOURCE_VERSION}\n";
        assert_eq!(
            rules_of(text),
            [
                ("latest-fallback", "line 4, column 19".to_owned()),
                ("latest-fallback", "line 5, column 13".to_owned())
            ]
        );
    }

    #[test]
    fn pushes_and_tags_of_latest_are_found() {
        let text = "      - docker build -t $REPOSITORY_URI:latest .\n      - docker tag $REPOSITORY_URI:latest $REPOSITORY_URI:$IMAGE_TAG\n      - docker push $REPOSITORY_URI:$IMAGE_TAG\n      - docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web\n      # docker push $REPOSITORY_URI:latest\n";
        let found = rules_of(text);
        assert_eq!(
            found,
            [
                ("latest-tag", "line 1, column 25".to_owned()),
                ("latest-tag", "line 2, column 20".to_owned()),
                ("untagged-image", "line 4, column 21".to_owned()),
            ]
        );
    }

    #[test]
    fn github_expressions_with_spaces_are_one_word() {
        let text = "      - run: docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:${{ github.sha }}\n      - run: docker push web:${{ env.TAG }} && docker push ${{ env.REPO }}:latest\n";
        assert_eq!(
            rules_of(text),
            [("latest-tag", "line 2, column 60".to_owned())]
        );
    }

    #[test]
    fn digests_and_real_tags_pass() {
        let text = "- docker pull public.ecr.aws/docker/library/node:20\n- docker run --rm app:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef echo\n- echo latest\n";
        assert!(rules_of(text).is_empty());
    }
}
