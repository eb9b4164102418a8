//! `${NAME}` substitution and `.env` reading on arbitrary text: no panic, text without `${`
//! comes back unchanged, and a failed substitution leaves a JSON document as it was.
//!
//! The input is `DOTENV \0 TEMPLATE`: the variables come from the fuzzer too, so values that
//! hold `${`, `}` or `$` meet the expander.

#![no_main]

use std::collections::BTreeMap;

use deploykit_artifacts::variables::{parse_dotenv, substitute_str, substitute_strings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (dotenv, template) = text.split_once('\0').unwrap_or(("A=alpha\nEMPTY=\n", text));
    let mut vars: BTreeMap<String, String> = parse_dotenv(dotenv)
        .unwrap_or_default()
        .into_iter()
        .collect();
    vars.entry("IMAGE".to_owned())
        .or_insert_with(|| "web:1.0".to_owned());

    let result = substitute_str(template, &vars);
    if !template.contains("${") {
        assert_eq!(result.as_deref().ok(), Some(template));
    }
    if let Err(error) = result {
        let _ = (error.to_string(), error.help(), error.findings());
    }

    let Ok(mut document) = serde_json::from_str::<serde_json::Value>(template) else {
        return;
    };
    let before = document.clone();
    // JSON escapes can spell `${` (`\u0024{`), so ask the decoded document, not the text.
    let plain = !serde_json::to_string(&before).is_ok_and(|json| json.contains("${"));
    match substitute_strings(&mut document, &vars) {
        Ok(_) if plain => assert_eq!(document, before),
        Ok(_) => {}
        Err(error) => {
            assert_eq!(
                document, before,
                "a failed substitution changed the document"
            );
            let _ = error.findings();
        }
    }
});
