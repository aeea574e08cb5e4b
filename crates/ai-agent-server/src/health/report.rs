//! A check's report, built through the check's redactor.

use chrono::Utc;
use mcp_model::api::{HealthReport, HealthStatus, ToolInfo, ToolsStatus};

use super::{Failure, Findings, stdio};
use crate::redact::{self, Redactor, is_hidden};

/// Longest error text a report keeps (remote bodies come as an excerpt).
const MAX_ERROR_CHARS: usize = 1000;
/// Longest server name, version or tool name a report keeps.
const MAX_NAME_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 4000;
/// A tool's schema or annotations larger than this (as JSON) are not kept.
const MAX_JSON_BYTES: usize = 64 * 1024;

/// A warning for each tool name, title or description that holds invisible
/// or bidirectional-control characters, naming them (they are removed from
/// the report, so without the warning nobody would know they were there).
fn hidden_characters(tools: &[ToolInfo], r: &Redactor) -> Vec<String> {
    let mut out = Vec::new();
    for t in tools {
        let fields = [
            ("name", Some(&t.name)),
            ("title", t.title.as_ref()),
            ("description", t.description.as_ref()),
        ];
        for (field, text) in fields {
            let Some(text) = text else { continue };
            let mut hidden: Vec<String> = text
                .chars()
                // A CRLF line end is no trick.
                .filter(|c| is_hidden(*c) && *c != '\r')
                .map(|c| format!("U+{:04X}", u32::from(c)))
                .collect();
            hidden.dedup();
            if !hidden.is_empty() {
                hidden.truncate(5);
                out.push(format!(
                    "tool '{}': its {field} holds invisible or bidirectional-control characters ({})",
                    r.report_text(&t.name, MAX_NAME_CHARS),
                    hidden.join(", ")
                ));
            }
        }
    }
    out
}

/// A JSON value the server sent, with every string in it (keys too) made
/// safe as report text; `None` when it is too large to keep.
fn json(r: &Redactor, v: serde_json::Value) -> Option<serde_json::Value> {
    use serde_json::Value;
    fn clean(r: &Redactor, v: Value) -> Value {
        match v {
            Value::String(s) => Value::String(r.report_text(&s, MAX_DESCRIPTION_CHARS)),
            Value::Array(a) => Value::Array(a.into_iter().map(|v| clean(r, v)).collect()),
            Value::Object(o) => Value::Object(
                o.into_iter()
                    .map(|(k, v)| (r.report_text(&k, MAX_NAME_CHARS), clean(r, v)))
                    .collect(),
            ),
            other => other,
        }
    }
    let v = clean(r, v);
    let size = serde_json::to_vec(&v).map_or(usize::MAX, |b| b.len());
    (size <= MAX_JSON_BYTES).then_some(v)
}

/// The fingerprint of a tool as the server sent it, secret values masked
/// (a hash of a secret is still a clue to it) but nothing else removed: an
/// edit that only adds invisible characters must change it too.
pub(crate) fn fingerprint(r: &Redactor, t: &ToolInfo) -> String {
    use serde_json::Value;
    fn masked(r: &Redactor, v: Value) -> Value {
        match v {
            Value::String(s) => Value::String(masked_text(r, &s)),
            Value::Array(a) => Value::Array(a.into_iter().map(|v| masked(r, v)).collect()),
            Value::Object(o) => Value::Object(
                o.into_iter()
                    .map(|(k, v)| (r.scrub(&k), masked(r, v)))
                    .collect(),
            ),
            other => other,
        }
    }
    let definition = serde_json::json!({
        "name": t.name,
        "title": t.title,
        "description": t.description,
        "inputSchema": t.input_schema,
        "outputSchema": t.output_schema,
        "annotations": t.annotations,
    });
    mcp_model::tools::fingerprint(&masked(r, definition))
}

/// `text` with secret values masked for a fingerprint. A secret split by
/// invisible characters is found only in the cleaned text: then that text is
/// hashed masked, with the hidden characters' code points (an edit to them
/// still changes the fingerprint), and never the secret itself.
fn masked_text(r: &Redactor, text: &str) -> String {
    let scrubbed = r.scrub(text);
    let cleaned = redact::untrusted(text, usize::MAX);
    let masked = r.scrub(&cleaned);
    if masked == cleaned {
        return scrubbed;
    }
    let hidden: Vec<String> = text
        .chars()
        .filter(|c| is_hidden(*c))
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    format!("{masked}\u{0}{}", hidden.join(","))
}

/// A warning for each tool name a server lists more than once: clients
/// keep one of them, and which is not defined.
fn duplicate_names(tools: &[ToolInfo], r: &Redactor) -> Vec<String> {
    let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    let mut out = Vec::new();
    for pair in names.windows(2) {
        if pair[0] == pair[1]
            && !out
                .iter()
                .any(|w: &String| w.contains(&format!("'{}'", pair[0])))
        {
            out.push(format!(
                "tool '{}' is listed more than once",
                r.report_text(pair[0], MAX_NAME_CHARS)
            ));
        }
    }
    out
}

/// Now, to the microsecond, as both backends store it.
fn checked_at() -> chrono::DateTime<Utc> {
    chrono::SubsecRound::trunc_subsecs(Utc::now(), 6)
}

/// The report of a check, built through the check's redactor: every text in
/// it came from the server or its transport, and a global server's report is
/// visible to every user.
pub(crate) fn report(
    outcome: Result<Findings, Failure>,
    latency_ms: u64,
    r: &Redactor,
) -> HealthReport {
    let name = |t: Option<String>| t.map(|t| r.report_text(&t, MAX_NAME_CHARS));
    let found = match &outcome {
        Ok(f) => &f.tools,
        Err(e) => &e.found.tools,
    };
    let mut warnings = hidden_characters(found, r);
    warnings.extend(duplicate_names(found, r));
    let notes = match &outcome {
        Ok(f) => &f.notes,
        Err(e) => &e.found.notes,
    };
    warnings.extend(notes.iter().map(|n| r.report_text(n, MAX_ERROR_CHARS)));
    let tools = |tools: Vec<ToolInfo>| -> Vec<ToolInfo> {
        tools
            .into_iter()
            .map(|t| ToolInfo {
                fingerprint: Some(fingerprint(r, &t)),
                name: r.report_text(&t.name, MAX_NAME_CHARS),
                title: name(t.title),
                description: t
                    .description
                    .map(|d| r.report_text(&d, MAX_DESCRIPTION_CHARS)),
                input_schema: t.input_schema.and_then(|v| json(r, v)),
                output_schema: t.output_schema.and_then(|v| json(r, v)),
                annotations: t.annotations.and_then(|v| json(r, v)),
            })
            .collect()
    };
    match outcome {
        Ok(f) => HealthReport {
            status: HealthStatus::Healthy,
            checked_at: checked_at(),
            latency_ms,
            protocol_version: name(f.protocol_version),
            server_name: name(f.server_name),
            server_version: name(f.server_version),
            tools: tools(f.tools),
            prompts: f.prompts,
            resources: f.resources,
            tools_status: ToolsStatus::default(),
            tool_changes: None,
            error: None,
            phase: None,
            stderr_tail: None,
            warnings,
        },
        Err(e) => HealthReport {
            status: e.status,
            checked_at: checked_at(),
            latency_ms,
            protocol_version: name(e.found.protocol_version),
            server_name: name(e.found.server_name),
            server_version: name(e.found.server_version),
            tools: tools(e.found.tools),
            prompts: e.found.prompts,
            resources: e.found.resources,
            tools_status: ToolsStatus::default(),
            tool_changes: None,
            error: Some(r.report_text(&e.error, MAX_ERROR_CHARS)),
            phase: Some(e.phase.to_string()),
            stderr_tail: e
                .stderr_tail
                .map(|t| r.report_text(&t, stdio::STDERR_BYTES)),
            warnings,
        },
    }
}
