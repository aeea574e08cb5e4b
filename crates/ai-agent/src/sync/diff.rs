//! A dry run's unified diff, secret values masked: it ends up in terminals,
//! CI logs and reviews.

use mcp_model::formats::{ExportServer, Format, read_entry};
use serde_json::Value;

use crate::files::Snapshot;

/// The diff from `file` to `new`. Masked are the secret values of the
/// registry's servers and of every entry the map held (an old token on a
/// `-` line, a pruned server's, a hand-written entry's in the context), as
/// written and as JSON or TOML escape them.
pub(super) fn masked(
    format: Format,
    file: &Snapshot,
    new: &str,
    servers: &[ExportServer],
    existing: &[(String, Value)],
) -> String {
    let old = file.text.as_deref().unwrap_or("");
    let name = file.path.display().to_string();
    let text = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a{name}"), &format!("b{name}"))
        .to_string();
    let from_file = existing
        .iter()
        .filter_map(|(name, v)| read_entry(format, name, v))
        .flat_map(|e| e.config.secret_values().into_values());
    let mut secrets: Vec<String> = servers
        .iter()
        .flat_map(|s| s.config.secret_values().into_values())
        .chain(from_file)
        .map(|v| v.strip_prefix("Bearer ").map(str::to_string).unwrap_or(v))
        .filter(|v| v.len() >= 3 && !v.starts_with("${"))
        .flat_map(|v| {
            let escaped = Value::String(v.clone()).to_string();
            let escaped = escaped[1..escaped.len() - 1].to_string();
            [v, escaped]
        })
        .collect();
    secrets.sort_by_key(|v| std::cmp::Reverse(v.len()));
    secrets.dedup();
    secrets
        .iter()
        .fold(text, |t, secret| t.replace(secret.as_str(), "***"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn old_values_and_escaped_ones_are_masked_too() {
        let file = Snapshot {
            path: "/f.json".into(),
            text: Some(
                "{\"mcpServers\": {\"old\": {\"command\": \"x\", \"env\": {\"T\": \"old-\\\"secret\"}}}}\n"
                    .into(),
            ),
        };
        let existing = vec![(
            "old".to_string(),
            json!({"command": "x", "env": {"T": "old-\"secret"}}),
        )];
        let d = masked(Format::ClaudeCode, &file, "{}\n", &[], &existing);
        assert!(d.contains("-{\"mcpServers\""), "{d}");
        assert!(!d.contains("old-"), "{d}");
        assert!(d.contains("\"T\": \"***\""), "{d}");
    }
}
