//! Wildcard matching: `*` as any run of characters, and path globs with `**`.
//!
//! ECR's tag-mutability exclusion filters use `*` without documented semantics beyond the CDK
//! examples (`dev-*`); `reference/formats.md` §7 reads it as any run of characters, and so do
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
    components_match(&globs, &parts)
}

fn components_match(globs: &[&str], parts: &[&str]) -> bool {
    match globs.split_first() {
        None => parts.is_empty(),
        Some((&"**", rest)) => (0..=parts.len()).any(|skip| components_match(rest, &parts[skip..])),
        // A directory pattern also excludes everything below it.
        Some((glob, [])) => parts.first().is_some_and(|part| wildcard_match(glob, part)),
        Some((glob, rest)) => parts
            .split_first()
            .is_some_and(|(part, tail)| wildcard_match(glob, part) && components_match(rest, tail)),
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
}
