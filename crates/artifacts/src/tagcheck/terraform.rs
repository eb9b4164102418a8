//! Terraform (`.tf`): `aws_ecr_repository` blocks and their `image_tag_mutability`, `image`
//! strings (container definitions in `jsonencode` or heredocs), and CodePipeline ECR source
//! actions.
//!
//! A small line-based reader rather than an HCL parser: the Rust HCL crates are thinly kept,
//! and these three shapes are recognisable by their keys and braces. Interpolations
//! (`${var.tag}`) cannot be resolved here and are reported as such.
//!
//! Braces nest at most [`MAX_NESTING`] deep and every place is counted as the lines go by, so
//! a file costs memory and time in proportion to its size whatever it holds.

use crate::finding::Finding;
use crate::location::Location;

use super::{MAX_NESTING, Policy, Scan, check_text, rules, text_or_scan, unresolved_or_tag};

/// A line and a column (in characters), both 1-based.
#[derive(Clone, Copy)]
struct Spot {
    line: usize,
    column: usize,
}

impl Spot {
    /// The place of byte `at` of `line`, the `number`th line.
    fn of(number: usize, line: &str, at: usize) -> Self {
        let column = line.get(..at).map_or(0, |before| before.chars().count()) + 1;
        Self {
            line: number,
            column,
        }
    }

    fn location(self) -> Location {
        Location::line(self.line, Some(self.column))
    }
}

/// One open block: its header (`resource "aws_ecr_repository" "x"`, `action`), where it is,
/// the brace depth it closes at, and the keys seen inside it.
struct Block {
    header: String,
    start: Spot,
    depth: usize,
    keys: Vec<(String, String, Spot)>,
}

/// Checks a Terraform file.
#[must_use]
pub fn check(bytes: &[u8], policy: &Policy) -> Scan {
    let text = match text_or_scan(bytes) {
        Ok(text) => text,
        Err(scan) => return scan,
    };
    let mut scan = Scan::default();
    let mut blocks: Vec<Block> = Vec::new();
    let mut depth = 0usize;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let number = index + 1;
        let code = strip_comment(line);
        let trimmed = code.trim();
        if let Some((key, value)) = attribute(trimmed) {
            let at = Spot::of(number, line, line.find(key).unwrap_or(0));
            if key == "image" {
                let quote = line.find(value).unwrap_or(1).saturating_sub(1);
                image(Spot::of(number, line, quote), value, policy, &mut scan);
            }
            if let Some(block) = blocks.last_mut() {
                block.keys.push((key.to_owned(), value.to_owned(), at));
            }
        } else if let Some((key, expression)) = expression_attribute(trimmed)
            && let Some(block) = blocks.last_mut()
        {
            // `ImageTag = var.promotion_tag` sets the key to a value known only at plan time:
            // kept as `${…}`, which the checks read as set but unresolved.
            let at = Spot::of(number, line, line.find(key).unwrap_or(0));
            block
                .keys
                .push((key.to_owned(), format!("${{{expression}}}"), at));
        }
        for (at, c) in code.char_indices() {
            match c {
                '{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        scan.findings
                            .push(too_deep(Spot::of(number, line, at).location()));
                        return scan;
                    }
                    blocks.push(Block {
                        header: header(trimmed),
                        start: Spot::of(number, line, line.len() - line.trim_start().len()),
                        depth,
                        keys: Vec::new(),
                    });
                }
                '}' => {
                    if let Some(block) = blocks.pop_if(|block| block.depth == depth) {
                        close(&block, &mut scan);
                        // `configuration = { ImageTag = … }` belongs to its `action`.
                        if let Some(parent) = blocks.last_mut() {
                            parent.keys.extend(block.keys);
                        }
                    }
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            }
        }
    }
    scan
}

/// The header of a block opened on a line, kept only for the two blocks [`close`] judges: a
/// long line of braces is not copied once per brace.
fn header(line: &str) -> String {
    let header = line.trim_end_matches('{').trim();
    if header == "action" || header.starts_with(ECR_REPOSITORY) {
        header.to_owned()
    } else {
        String::new()
    }
}

/// The header of the block of an ECR repository.
const ECR_REPOSITORY: &str = "resource \"aws_ecr_repository\"";

/// The finding for a brace past [`MAX_NESTING`]: the file is not read further.
fn too_deep(location: Location) -> Finding {
    Finding::error(
        rules::INVALID_FILE,
        format!("the file nests blocks deeper than {MAX_NESTING} levels"),
    )
    .at(location)
    .help("no Terraform configuration nests this deep: check that the file is the one meant")
}

fn strip_comment(line: &str) -> &str {
    let cut = [line.find('#'), line.find("//")]
        .into_iter()
        .flatten()
        .min();
    // Not inside a string: a `#` after an odd number of quotes is part of a value.
    match cut {
        Some(at) if line[..at].matches('"').count().is_multiple_of(2) => &line[..at],
        _ => line,
    }
}

/// `key = "value"` or `"key": "value"`, with the value unquoted.
fn attribute(line: &str) -> Option<(&str, &str)> {
    let split = line.find(['=', ':'])?;
    let key = line[..split].trim().trim_matches('"');
    let value = line[split + 1..].trim().trim_end_matches(',');
    let value = value.strip_prefix('"')?.strip_suffix('"')?;
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some((key, value))
}

/// `key = expression` with an unquoted value that is not a block or a list.
fn expression_attribute(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once('=')?;
    let (key, value) = (key.trim(), value.trim().trim_end_matches(','));
    let plain =
        !value.is_empty() && !value.starts_with(['"', '{', '[', '<']) && !value.starts_with('=');
    (plain && !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some((key, value))
}

fn image(at: Spot, value: &str, policy: &Policy, scan: &mut Scan) {
    let location = at.location();
    if value.contains("${") {
        let names = super::variable_names(value);
        scan.findings
            .extend(unresolved_or_tag(value, &names, &location, policy));
    } else {
        check_text(value, location, false, policy, scan);
    }
}

fn get<'b>(block: &'b Block, key: &str) -> Option<&'b (String, String, Spot)> {
    block.keys.iter().find(|(k, _, _)| k == key)
}

fn close(block: &Block, scan: &mut Scan) {
    if block.header.starts_with(ECR_REPOSITORY) {
        let name = block.header.split('"').nth(3).unwrap_or_default();
        let mode = get(block, "image_tag_mutability");
        let at = mode.map_or(block.start, |(_, _, at)| *at);
        let path = format!("aws_ecr_repository.{name}.image_tag_mutability");
        if let Some(finding) = super::cloudformation::repository_mode_finding(
            mode.map(|(_, value, _)| value.as_str()),
            &format!("`aws_ecr_repository.{name}`"),
            "image_tag_mutability = \"IMMUTABLE\"",
        ) {
            scan.findings
                .push(finding.at(at.location().with_place(path)));
        }
    } else if block.header == "action" {
        let is = |key: &str, want: &str| {
            get(block, key).is_some_and(|(_, v, _)| v.eq_ignore_ascii_case(want))
        };
        if is("provider", "ECR") && is("category", "Source") {
            let tag = get(block, "ImageTag");
            if let Some(finding) =
                super::pipeline::image_tag_finding(tag.map(|(_, v, _)| v.as_str()))
            {
                let at = tag.map_or(block.start, |(_, _, at)| *at);
                scan.findings.push(finding.at(at.location()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&'static str, String)> {
        check(text.as_bytes(), &Policy::default())
            .findings
            .into_iter()
            .map(|f| (f.rule, f.shown_location().unwrap_or_default()))
            .collect()
    }

    #[test]
    fn repositories_without_immutable_tags() {
        let text = r#"resource "aws_ecr_repository" "web" {
  name = "web"
}

resource "aws_ecr_repository" "api" {
  name                 = "api"
  image_tag_mutability = "MUTABLE" # the default
}

resource "aws_ecr_repository" "ok" {
  name                 = "ok"
  image_tag_mutability = "IMMUTABLE"
  encryption_configuration {
    encryption_type = "KMS"
  }
}
"#;
        assert_eq!(
            found(text),
            [
                (
                    "mutable-repository",
                    "line 1, column 1, aws_ecr_repository.web.image_tag_mutability".to_owned()
                ),
                (
                    "mutable-repository",
                    "line 7, column 3, aws_ecr_repository.api.image_tag_mutability".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn an_image_tag_from_a_variable_is_set() {
        let source = "stage {\n  action {\n    category = \"Source\"\n    provider = \"ECR\"\n    configuration = {\n      ImageTag = var.promotion_tag\n    }\n  }\n}\n";
        assert_eq!(found(source), []);
        let without = source.replace("      ImageTag = var.promotion_tag\n", "");
        assert_eq!(found(&without)[0].0, "ecr-source-tracks-latest");
    }

    #[test]
    fn images_and_ecr_source_actions() {
        let text = r#"container_definitions = jsonencode([{
  name  = "web"
  image = "nginx:latest"
}, {
  name  = "api"
  image = "${aws_ecr_repository.api.repository_url}:${var.tag}"
}])
stage {
  action {
    category = "Source"
    provider = "ECR"
    configuration = {
      RepositoryName = "web"
    }
  }
}
"#;
        let found = found(text);
        assert_eq!(found[0], ("latest-tag", "line 3, column 11".to_owned()));
        assert_eq!(found[1].0, "unresolved-variable");
        assert_eq!(
            found[2],
            ("ecr-source-tracks-latest", "line 9, column 3".to_owned())
        );
        assert_eq!(found.len(), 3);
    }
}
