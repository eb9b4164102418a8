//! The run: the policy, the files, the checks, the optional ECR lookups and rewrites to
//! digests, then the files written and the report.

use deploykit_artifacts::Severity;
use deploykit_artifacts::tagcheck::{self, Scan};
use deploykit_cli::report::{self, FileReport};
use deploykit_cli::{CliError, Exit, Output, Plan};

use crate::config::{Config, Ecr, FailOn};
use crate::lookup::{Answers, Lookups};
use crate::pin::{self, Rewrite};
use crate::policy;
use crate::walk::{self, Found};

pub(crate) fn run(config: &Config) -> Result<Exit, CliError> {
    let settings = policy::settings(config)?;
    let policy = &settings.policy;
    let mut files = walk::files(&config.paths, &settings.exclude)?;
    let mut scans: Vec<Scan> = files
        .iter()
        .map(|file| tagcheck::scan(file.kind, &file.name(), &file.bytes, policy))
        .collect();
    let mut plan = Plan::new();
    let mut pinned = Vec::new();
    if config.ecr != Ecr::Off {
        let (answers, rewrites) = ask_ecr(config, &files, &scans, policy)?;
        for rewrite in rewrites {
            let file = &mut files[rewrite.file];
            plan.write(
                Output::File(file.path.clone()),
                rewrite.bytes.clone(),
                "with its images pinned to digests",
            );
            pinned.extend(
                rewrite
                    .pinned
                    .into_iter()
                    .map(|(from, to, location)| (file.shown.clone(), from, to, location)),
            );
            file.bytes = rewrite.bytes;
            scans[rewrite.file] = rewrite.scan;
        }
        for scan in &mut scans {
            let found: Vec<_> = scan
                .images
                .iter()
                .filter_map(|image| answers.finding(image))
                .collect();
            scan.findings.extend(found);
        }
    }
    // Every lookup is done and every new text is known: only now is anything written.
    plan.execute()?;
    for (shown, from, to, location) in &pinned {
        deploykit_cli::say(format_args!(
            "pinned `{from}` to `{to}` ({shown}: {location})"
        ));
    }
    let mut reports: Vec<FileReport> = files
        .iter()
        .zip(scans)
        .map(|(file, scan)| {
            let findings = tagcheck::finish(file.kind, &file.bytes, scan.findings, policy);
            FileReport::new(file.shown.clone(), file.kind.name(), findings).with_text(&file.bytes)
        })
        .collect();
    if !config.strict
        && let Some(note) = tagcheck::unresolved_summary(
            reports
                .iter_mut()
                .map(|report| (report.path.as_str(), &mut report.findings)),
        )
    {
        deploykit_cli::say(format_args!("note: {note}"));
    }
    let exit = report::print("ecs-tagcheck", &reports, config.format, &config.reports)?;
    let warnings = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity == Severity::Warning);
    Ok(match (exit, settings.fail_on) {
        (Exit::Clean, FailOn::Warning) if warnings => Exit::Findings,
        (exit, _) => exit,
    })
}

/// Asks ECR about every private ECR image; with `--pin`, computes the rewrites to digests and
/// asks about the pinned references too. Writes nothing.
fn ask_ecr(
    config: &Config,
    files: &[Found],
    scans: &[Scan],
    policy: &tagcheck::Policy,
) -> Result<(Answers, Vec<Rewrite>), CliError> {
    config
        .aws
        .run_with_regions_of_their_own(|sdk_config| async move {
            let mut lookups = Lookups::new(sdk_config);
            lookups
                .ask(scans.iter().flat_map(|scan| &scan.images))
                .await?;
            let rewrites = match config.ecr {
                Ecr::Pin { keep_tag } => {
                    pin::rewrites(files, scans, lookups.answers(), policy, keep_tag)
                }
                Ecr::Check | Ecr::Off => Vec::new(),
            };
            lookups
                .ask(rewrites.iter().flat_map(|rewrite| &rewrite.scan.images))
                .await?;
            Ok((lookups.into_answers(), rewrites))
        })
}
