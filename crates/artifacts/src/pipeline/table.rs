//! The text table of `ecs-pipeline status`: one line per stage, what runs where at a glance.

/// One stage's line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusRow {
    /// The stage name.
    pub stage: String,
    /// The latest execution's status in this stage; empty when it never ran.
    pub status: String,
    /// The latest execution's id.
    pub execution_id: String,
    /// The source revisions of that execution: `artifact@revision`, with the revision's summary.
    pub revisions: Vec<(String, String)>,
}

/// How many characters of a revision id to show: a commit id the way `git log --oneline` does,
/// an image digest or version in full.
const SHORT_COMMIT: usize = 12;

fn short(revision: &str) -> &str {
    let is_commit = revision.len() == 40 && revision.chars().all(|c| c.is_ascii_hexdigit());
    if is_commit {
        &revision[..SHORT_COMMIT]
    } else {
        revision
    }
}

/// The first line of a summary, at most 60 characters, so that one stage stays one line.
fn headline(summary: &str) -> String {
    let line = summary.lines().next().unwrap_or_default().trim();
    if line.chars().count() > 60 {
        let cut: String = line.chars().take(59).collect();
        format!("{cut}…")
    } else {
        line.to_owned()
    }
}

/// Renders `rows` as aligned columns under a header; a stage with several source revisions
/// lists them separated by `, `.
#[must_use]
pub fn render_table(rows: &[StatusRow]) -> String {
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|row| {
            let revisions: Vec<String> = row
                .revisions
                .iter()
                .map(|(revision, summary)| {
                    let summary = headline(summary);
                    if summary.is_empty() {
                        short(revision).to_owned()
                    } else {
                        format!("{} {summary:?}", short(revision))
                    }
                })
                .collect();
            let or_dash = |text: &str| {
                if text.is_empty() {
                    "-".to_owned()
                } else {
                    text.to_owned()
                }
            };
            [
                row.stage.clone(),
                or_dash(&row.status),
                or_dash(&row.execution_id),
                or_dash(&revisions.join(", ")),
            ]
        })
        .collect();
    let header = [
        "STAGE".to_owned(),
        "STATUS".to_owned(),
        "EXECUTION".to_owned(),
        "REVISION".to_owned(),
    ];
    let mut widths = [0_usize; 3];
    for line in std::iter::once(&header).chain(&cells) {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for line in std::iter::once(&header).chain(&cells) {
        for (width, cell) in widths.iter().zip(line) {
            let pad = width - cell.chars().count();
            out.push_str(cell);
            out.push_str(&" ".repeat(pad + 2));
        }
        out.push_str(&line[3]);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_aligned_line_per_stage() {
        let rows = [
            StatusRow {
                stage: "Source".into(),
                status: "Succeeded".into(),
                execution_id: "e-2".into(),
                revisions: vec![(
                    "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b".into(),
                    "Fix the health check\n\nlong body".into(),
                )],
            },
            StatusRow {
                stage: "Deploy".into(),
                ..StatusRow::default()
            },
        ];
        assert_eq!(
            render_table(&rows),
            "STAGE   STATUS     EXECUTION  REVISION\n\
             Source  Succeeded  e-2        1a2b3c4d5e6f \"Fix the health check\"\n\
             Deploy  -          -          -\n"
        );
    }

    #[test]
    fn a_long_summary_is_cut_to_one_short_line() {
        let long = "x".repeat(80);
        assert_eq!(headline(&long).chars().count(), 60);
        assert!(headline(&long).ends_with('…'));
        assert_eq!(short("sha256:abc"), "sha256:abc");
    }
}
