//! `ecs-verify pipeline-template`: the templates and the buildspecs they name read, the checks
//! run, one report per template.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use deploykit_artifacts::verify::template::{BuildSpec, Template};
use deploykit_cli::report::{self, FileReport};
use deploykit_cli::{
    CliError, Exit, codebuild,
    input::{self, Limit},
};

use crate::config::TemplateCheck;

pub(crate) fn run(args: &TemplateCheck) -> Result<Exit, CliError> {
    // Several templates often run the same buildspec: read each once.
    let mut buildspecs: BTreeMap<String, BuildSpec> = BTreeMap::new();
    let mut reports = Vec::new();
    for path in &args.templates {
        let bytes = input::read(path, Limit::TEMPLATE)?;
        let template = parse(&bytes, path)?;
        let shown = path.display().to_string();
        for file in template.buildspec_files() {
            if buildspecs.contains_key(file.path) {
                continue;
            }
            let at = format!(
                "{shown}: Resources.{}.Properties.Source.BuildSpec",
                file.project
            );
            let spec = read_buildspec(&args.source_root, file.path, &at)?;
            buildspecs.insert(file.path.to_owned(), spec);
        }
        // The text places the findings' CloudFormation names in a report's lines.
        reports.push(
            FileReport::new(shown, "pipeline-template", template.check(&buildspecs))
                .with_text(&bytes),
        );
    }
    report::print("ecs-verify", &reports, args.format, &args.reports)
}

/// A template, or the error that names the file and what is wrong in it.
pub(crate) fn read(path: &Path) -> Result<Template, CliError> {
    parse(&input::read(path, Limit::TEMPLATE)?, path)
}

/// The template in `bytes`, read from `path`.
fn parse(bytes: &[u8], path: &Path) -> Result<Template, CliError> {
    let shown = path.display().to_string();
    Template::read(bytes).map_err(|finding| CliError::from_finding(&finding, &shown))
}

/// The buildspec at `path` below `root`; `at` is the template setting that names it.
fn read_buildspec(root: &Path, path: &str, at: &str) -> Result<BuildSpec, CliError> {
    // `./buildspecs/dev.yml` reads worse than the path the template names.
    let full = if root == Path::new(".") {
        PathBuf::from(path)
    } else {
        root.join(path)
    };
    let shown = full.display().to_string();
    if !codebuild::resolve(&full).exists() {
        return Err(
            CliError::new(format!("cannot read buildspec `{shown}`: no such file"))
                .at(at)
                .help("BuildSpec paths start at the primary source: run from the repository root, or give --source-root DIR"),
        );
    }
    let bytes = input::read(&full, Limit::SCANNED).map_err(|error| error.at(at))?;
    BuildSpec::parse(&bytes).map_err(|finding| CliError::from_finding(&finding, &shown))
}
