//! What each rule is, for reports that describe their rules (SARIF's `reportingDescriptor`):
//! read from the tables of `docs/`, compiled in, so a rule's description and its link are the
//! row users read.
//!
//! `docs/ecs-rules.md` has a `Rule id | Constraint | …` table per section, one row per
//! constraint (a rule may have several); `docs/programs/ecs-tagcheck.md` has a
//! `Rule | Default | Example | Fix` table, and the other program pages `Rule id | Constraint |
//! Fix` tables. `docs/programs/ecs-verify.md` names its checks in bullets,
//! `- **Title** (`rule`, `rule`): what is checked`, read when no table has the rule.

use deploykit_artifacts::Finding;

/// The repository, whose `docs/` the links point into.
pub(super) const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The documents read, with their path in the repository.
const DOCUMENTS: [(&str, &str); 4] = [
    (
        "docs/ecs-rules.md",
        include_str!("../../../../docs/ecs-rules.md"),
    ),
    (
        "docs/programs/ecs-tagcheck.md",
        include_str!("../../../../docs/programs/ecs-tagcheck.md"),
    ),
    (
        "docs/programs/ecs-taskdef.md",
        include_str!("../../../../docs/programs/ecs-taskdef.md"),
    ),
    (
        "docs/programs/ecs-verify.md",
        include_str!("../../../../docs/programs/ecs-verify.md"),
    ),
];

/// A rule as reports describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RuleDoc {
    /// One sentence: what the rule asks.
    pub(super) short: String,
    /// Everything the rule asks.
    pub(super) full: String,
    /// How to fix a finding of it.
    pub(super) help: String,
    /// The row of the rule in `docs/` (its first), or the program's page.
    pub(super) uri: String,
}

/// The description of rule `id` of program `tool`. A rule that no table of `docs/` has is
/// described by `example`, one of its findings, and links to the program's page.
pub(super) fn describe(tool: &str, id: &str, example: Option<&Finding>) -> RuleDoc {
    let mut constraints: Vec<String> = Vec::new();
    let mut fix: Option<String> = None;
    let mut first_row: Option<(&str, usize)> = None;
    for (document, text) in DOCUMENTS {
        let mut columns: Vec<String> = Vec::new();
        let mut last_fix = String::new();
        for (number, line) in text.lines().enumerate() {
            if is_rule(line) {
                continue;
            }
            let Some(cells) = cells(line) else {
                columns.clear();
                continue;
            };
            if cells.first().is_some_and(|c| c == "Rule id" || c == "Rule") {
                columns = cells;
                continue;
            }
            if columns.is_empty() {
                continue;
            }
            let cell = |name: &str| {
                columns
                    .iter()
                    .position(|c| c == name)
                    .and_then(|i| cells.get(i))
            };
            let row_fix = cell("Fix").map(|f| {
                if f == "the same" {
                    last_fix.clone()
                } else {
                    f.clone()
                }
            });
            if let Some(f) = &row_fix {
                last_fix.clone_from(f);
            }
            if cells.first().map(String::as_str) != Some(&format!("`{id}`")) {
                continue;
            }
            first_row.get_or_insert((document, number + 1));
            if let Some(constraint) = cell("Constraint") {
                if !constraints.contains(constraint) {
                    constraints.push(constraint.clone());
                }
            } else if let Some(example) = cell("Example") {
                constraints.push(format!("Refuses what this rule names, such as {example}."));
            }
            if fix.is_none() {
                fix = row_fix;
            }
        }
    }
    let Some((document, line)) = first_row else {
        return bullet(id).unwrap_or_else(|| undocumented(tool, id, example));
    };
    let full = constraints.join(" ");
    let short = first_sentence(&full);
    let help = match fix {
        Some(fix) => format!("Fix: {fix}. The finding's own help names the value to change."),
        None => format!(
            "Change the file so that it meets the rule: {full} The finding's own help names the value to change."
        ),
    };
    RuleDoc {
        short,
        full,
        help,
        uri: format!("{REPOSITORY}/blob/main/{document}?plain=1#L{line}"),
    }
}

/// Rule `id` as a bullet of a program page names it: `- **Title** (`id`, …): text`, the text
/// going on in the lines indented under it.
fn bullet(id: &str) -> Option<RuleDoc> {
    let wanted = format!("`{id}`");
    for (document, text) in DOCUMENTS {
        let lines: Vec<&str> = text.lines().collect();
        for (number, line) in lines.iter().enumerate() {
            let Some(rest) = line.strip_prefix("- **") else {
                continue;
            };
            let Some((title, rest)) = rest.split_once("** (") else {
                continue;
            };
            let Some((ids, body)) = rest.split_once("): ") else {
                continue;
            };
            if !ids.split(", ").any(|named| named == wanted) {
                continue;
            }
            let mut body = body.to_owned();
            for more in lines[number + 1..]
                .iter()
                .take_while(|l| l.starts_with("  ") && !l.trim().is_empty())
            {
                body.push(' ');
                body.push_str(more.trim());
            }
            return Some(RuleDoc {
                short: format!("{title}: {}", first_sentence(&body)),
                full: format!("{title}: {body}"),
                help: format!(
                    "Change what the finding names so that it passes this check: {body} The finding's own help names the value to change."
                ),
                uri: format!("{REPOSITORY}/blob/main/{document}?plain=1#L{}", number + 1),
            });
        }
    }
    None
}

fn undocumented(tool: &str, id: &str, example: Option<&Finding>) -> RuleDoc {
    let full = example.map_or_else(
        || format!("The `{id}` check of {tool}."),
        |finding| {
            format!(
                "The `{id}` check of {tool}, which reports such as: {}",
                finding.message
            )
        },
    );
    let help = example
        .and_then(|finding| finding.help.clone())
        .unwrap_or_else(|| format!("See the `{tool}` documentation for what `{id}` asks."));
    RuleDoc {
        short: format!("The `{id}` check of {tool}."),
        full,
        help,
        uri: format!("{REPOSITORY}/blob/main/docs/programs/{tool}.md"),
    }
}

/// Whether `line` is the `|---|` line under a table's header.
fn is_rule(line: &str) -> bool {
    line.starts_with("|-") && line.chars().all(|c| matches!(c, '-' | '|' | ':' | ' '))
}

/// The cells of a Markdown table row, trimmed; `None` for a line that is no row. A `\|`
/// inside a cell is a `|` of its text.
fn cells(line: &str) -> Option<Vec<String>> {
    let inner = line.trim().strip_prefix('|')?.strip_suffix('|')?;
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut().expect("one cell at least").push('|');
                chars.next();
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().expect("one cell at least").push(c),
        }
    }
    Some(cells.into_iter().map(|c| c.trim().to_owned()).collect())
}

/// The text up to its first sentence end (`. ` outside backticks), with its full stop.
fn first_sentence(text: &str) -> String {
    let mut in_code = false;
    for (index, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '.' if !in_code && text[index + 1..].starts_with(' ') => {
                return text[..=index].to_owned();
            }
            _ => {}
        }
    }
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_rules_come_from_their_rows() {
        let family = describe("ecs-taskdef", "family-name", None);
        assert_eq!(
            family.short,
            "`family` is 1 to 255 letters, digits, `_` or `-`."
        );
        assert!(family.help.contains("family"), "{family:?}");
        assert!(
            family.uri.starts_with(REPOSITORY)
                && family.uri.contains("/docs/ecs-rules.md?plain=1#L"),
            "{family:?}"
        );
        // Two rows: both constraints, the link to the first.
        let name = describe("ecs-taskdef", "container-name", None);
        assert!(
            name.full.contains("Every container has a `name`") && name.full.contains("1 to 255")
        );
        let denied = describe("ecs-tagcheck", "denied-tag", None);
        assert!(denied.help.contains("pin `@sha256:…`"), "{denied:?}");
        assert!(denied.uri.contains("docs/programs/ecs-tagcheck.md"));
    }

    #[test]
    fn rules_named_in_bullets_take_the_bullet() {
        let bake = describe("ecs-verify", "bake-time", None);
        assert_eq!(
            bake.short,
            "Strategy: BLUE_GREEN needs `bakeTimeInMinutes`."
        );
        assert!(bake.uri.contains("docs/programs/ecs-verify.md?plain=1#L"));
        let traffic = describe("ecs-verify", "test-listener-rule", None);
        assert!(
            traffic
                .full
                .contains("without `testListenerRule`, a warning"),
            "{traffic:?}"
        );
    }

    #[test]
    fn undocumented_rules_are_described_by_a_finding() {
        let finding = Finding::error("made-up", "it is wrong").help("make it right");
        let doc = describe("ecs-verify", "made-up", Some(&finding));
        assert_eq!(doc.help, "make it right");
        assert!(doc.full.ends_with("it is wrong"));
        assert!(doc.uri.ends_with("/docs/programs/ecs-verify.md"));
        assert_eq!(first_sentence("a `x. y` b. c"), "a `x. y` b.");
        assert_eq!(cells("| a \\| b | c |").unwrap(), ["a | b", "c"]);
        assert!(is_rule("|---|---|") && !is_rule("| a |"));
    }

    /// Every rule id a finding is made with in the workspace's sources has a row or a bullet in
    /// `docs/`, so reports link each rule to its description.
    #[test]
    fn every_rule_of_the_sources_is_documented() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut stack = vec![root.join("crates"), root.join("src")];
        let mut missing = std::collections::BTreeSet::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if path.is_dir() {
                    if name != "tests" {
                        stack.push(path);
                    }
                    continue;
                }
                let source = path.extension().is_some_and(|e| e == "rs");
                if !source || name == "tests.rs" || name == "rules.rs" {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for call in ["Finding::error(", "Finding::warning(", "Finding::policy("] {
                    for (at, _) in text.match_indices(call) {
                        let rest = text[at + call.len()..].trim_start();
                        let Some(quoted) = rest.strip_prefix('"') else {
                            continue;
                        };
                        let id = &quoted[..quoted.find('"').unwrap()];
                        if !describe("any", id, None).uri.contains("?plain=1#L") {
                            missing.insert(format!("{id} ({})", path.display()));
                        }
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "rules without a row in docs/: {missing:#?}"
        );
    }
}
