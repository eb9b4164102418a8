//! Wildcard matching: `*` as any run of characters, and path globs with `**`.
//!
//! ECR's tag-mutability exclusion filters use `*` without documented semantics beyond the CDK
//! examples (`dev-*`); `docs/aws/image-references.md#ecr-tag-mutability` reads it as any run of characters, and so do
//! the allow list and `--exclude`.

/// True when `text` matches `pattern`, where `*` matches any run of characters (also none).
#[must_use]
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    // The classic two-pointer match with backtracking to the last `*`: linear in practice.
    let (mut p, mut t, mut star, mut mark) = (0, 0, None, 0);
    while t < text.len() {
        if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = t;
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some(at) = star {
            p = at + 1;
            mark += 1;
            t = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// True when the relative path `path` (with `/` separators) matches the glob `pattern`:
/// `*` stays within one path component, `**` crosses them, and a pattern without `/` matches
/// the file name or any directory name on the way.
#[must_use]
pub fn path_match(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
    if !pattern.contains('/') {
        return parts.iter().any(|part| wildcard_match(pattern, part));
    }
    let globs: Vec<&str> = pattern.split('/').collect();
    components_match(&globs, &parts, true)
}

/// True when the whole relative path `path` matches the glob `pattern`, component by
/// component: `*` stays within one component, `**` stands for any number of them (also none),
/// and a pattern without `/` names a file at the top. CodeBuild reads buildspec `artifacts`
/// globs this way (build specification reference, `artifacts/files`: `**/*` is every file).
#[must_use]
pub fn whole_path_match(pattern: &str, path: &str) -> bool {
    let globs: Vec<&str> = pattern
        .trim_start_matches("./")
        .split('/')
        .filter(|glob| !glob.is_empty())
        .collect();
    let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
    components_match(&globs, &parts, false)
}

/// `prefix`: a pattern that runs out on a directory also matches everything below it.
fn components_match(globs: &[&str], parts: &[&str], prefix: bool) -> bool {
    match globs.split_first() {
        None => parts.is_empty(),
        Some((&"**", rest)) => {
            (0..=parts.len()).any(|skip| components_match(rest, &parts[skip..], prefix))
        }
        // A directory pattern also excludes everything below it.
        Some((glob, [])) if prefix => parts.first().is_some_and(|part| wildcard_match(glob, part)),
        Some((glob, rest)) => parts.split_first().is_some_and(|(part, tail)| {
            wildcard_match(glob, part) && components_match(rest, tail, prefix)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_is_any_run_of_characters() {
        assert!(wildcard_match("dev-*", "dev-"));
        assert!(wildcard_match("dev-*", "dev-abc.1"));
        assert!(wildcard_match("*-rc*", "1.2-rc3"));
        assert!(wildcard_match("*", "anything"));
        assert!(!wildcard_match("dev-*", "prod-1"));
        assert!(!wildcard_match("latest", "latest2"));
        assert!(wildcard_match("a*b*c", "axxbyyc"));
    }

    #[test]
    fn path_globs() {
        assert!(path_match("vendor", "src/vendor/Dockerfile"));
        assert!(path_match("*.tf", "infra/main.tf"));
        assert!(path_match("infra/**/*.tf", "infra/a/b/main.tf"));
        assert!(path_match("infra/legacy", "infra/legacy/x/main.tf"));
        assert!(!path_match("infra/*.tf", "infra/a/main.tf"));
        assert!(!path_match("docs", "src/Dockerfile"));
    }

    #[test]
    fn whole_path_globs() {
        assert!(whole_path_match(
            "imagedefinitions.json",
            "imagedefinitions.json"
        ));
        assert!(!whole_path_match(
            "imagedefinitions.json",
            "out/imagedefinitions.json"
        ));
        assert!(whole_path_match("**/*", "imagedefinitions.json"));
        assert!(whole_path_match("**/*", "a/b/c.json"));
        assert!(whole_path_match("./out/*.json", "out/taskdef.json"));
        assert!(!whole_path_match("out/*.json", "out/a/taskdef.json"));
        assert!(whole_path_match("out/**/*.json", "out/taskdef.json"));
        assert!(!whole_path_match("out", "out/taskdef.json"));
    }
}
