use super::*;

fn spec(files: &[&str]) -> ArtifactSpec {
    ArtifactSpec {
        files: files.iter().map(|f| (*f).to_owned()).collect(),
        ..ArtifactSpec::default()
    }
}

#[test]
fn artifact_blocks_and_variables_are_read() {
    let text = "version: 0.2
env:
  exported-variables:
    - IMAGE_URI
phases:
  build:
    commands:
      - cp $CODEBUILD_SRC_DIR_ImageSource/imageDetail.json out/
      # $CODEBUILD_SRC_DIR_Commented is not read
artifacts:
  files: imagedefinitions.json
  secondary-artifacts:
    Zeta:
      files: [a]
    Alpha:
      base-directory: out
      discard-paths: yes
      exclude-paths: ['**/*.md']
      files:
        - '**/*'
";
    let spec = BuildSpec::parse(text.as_bytes()).unwrap();
    assert_eq!(spec.version.as_deref(), Some("0.2"));
    assert_eq!(spec.exported, ["IMAGE_URI"]);
    assert_eq!(
        spec.primary.as_ref().unwrap().files,
        ["imagedefinitions.json"]
    );
    let ids: Vec<&str> = spec.secondary.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["Zeta", "Alpha"]);
    let alpha = spec.secondary("Alpha").unwrap();
    assert!(alpha.discard_paths);
    assert_eq!(alpha.base_directory.as_deref(), Some("out"));
    assert_eq!(spec.source_dirs(), [("ImageSource".to_owned(), 8)]);
    assert_eq!(
        spec.line(&["secondary-artifacts", "Alpha", "files"]),
        Some(19)
    );
    assert!(spec.mentions("imageDetail.json"));
    assert!(!spec.mentions("Commented"));
}

#[test]
fn wrong_types_stop_the_check() {
    let error = |text: &str| BuildSpec::parse(text.as_bytes()).unwrap_err();
    let files = error("version: 0.2\nartifacts:\n  files: {a: b}\n");
    assert_eq!(
        files.message,
        "`artifacts.files` is an object, where CodeBuild takes a list of paths"
    );
    assert_eq!(files.location_str(), Some("line 3, artifacts.files"));
    assert_eq!(
        error("version: 0.2\nartifacts:\n  secondary-artifacts: [a]\n").message,
        "`artifacts.secondary-artifacts` is an array, where CodeBuild takes a mapping of artifact identifiers"
    );
    assert_eq!(
        error("version: 0.2\nartifacts: {files: [a], discard-paths: maybe}\n").message,
        "`artifacts.discard-paths` is a string, where CodeBuild takes `yes` or `no`"
    );
    assert_eq!(
        error("- a\n").message,
        "the buildspec is an array, not a mapping"
    );
    assert!(
        error("version: 0.2\nphases: [\n")
            .message
            .starts_with("the file is not valid YAML")
    );
}

#[test]
fn paths_in_the_artifact_follow_codebuild() {
    assert!(spec(&["imagedefinitions.json"]).could_hold("imagedefinitions.json"));
    assert!(!spec(&["out/imagedefinitions.json"]).could_hold("imagedefinitions.json"));
    assert!(spec(&["out/imagedefinitions.json"]).could_hold("out/imagedefinitions.json"));
    assert!(spec(&["**/*"]).could_hold("taskdef.json"));
    assert!(spec(&["*.json"]).could_hold("./taskdef.json"));
    assert!(!spec(&["*.json"]).could_hold("appspec.yaml"));
    assert!(spec(&["$OUT/taskdef.json"]).could_hold("deploy/taskdef.json"));
    let flat = ArtifactSpec {
        discard_paths: true,
        ..spec(&["out/**/*"])
    };
    assert!(flat.could_hold("taskdef.json"));
    assert!(!flat.could_hold("deploy/taskdef.json"));
    let excluded = ArtifactSpec {
        exclude_paths: vec!["**/*.yaml".into()],
        ..spec(&["**/*"])
    };
    assert!(excluded.could_hold("taskdef.json"));
    assert!(!excluded.could_hold("appspec.yaml"));
    assert_eq!(
        ArtifactSpec {
            base_directory: Some("out".into()),
            discard_paths: true,
            ..excluded
        }
        .describe(),
        "files `**/*` under base-directory `out` with discard-paths excluding `**/*.yaml`"
    );
}
