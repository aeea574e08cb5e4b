//! How results are shown: tables for people, or JSON in the API's own shapes
//! for scripts. Colour only when stdout is a terminal and `NO_COLOR` is unset.

use std::io::{IsTerminal, Write};

use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use mcp_model::ServerConfig;
use mcp_model::api::{
    CheckOptions, HealthCheckResult, HealthStatus, ImportResult, McpServer, Me, Template, ToolInfo,
    ToolsStatus,
};
use serde::Serialize;

mod list;

use crate::cli::OutputFormat;
use crate::exit::{CliError, CliResult};

/// Every command prints through this, so that `-o json` and colour rules hold everywhere.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub format: OutputFormat,
    color: bool,
    terminal: bool,
    /// The width tables keep to: the terminal's, else `COLUMNS` when set;
    /// `None` lets a piped table be as wide as its content.
    width: Option<u16>,
}

impl Output {
    pub(crate) fn new(format: OutputFormat) -> Self {
        let terminal = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
        let width = if terminal {
            Table::new().width().or(columns)
        } else {
            columns
        };
        Output {
            format,
            color: terminal && !no_color,
            terminal,
            width,
        }
    }

    pub(crate) fn json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Writes `text` (plus a newline if it lacks one) to stdout.
    pub fn print(&self, text: &str) -> CliResult<()> {
        let mut out = std::io::stdout().lock();
        let nl = if text.ends_with('\n') { "" } else { "\n" };
        write!(out, "{text}{nl}")
            .and_then(|()| out.flush())
            .or_else(|e| {
                // A closed pipe (`| head`) is the reader's choice, not a failure.
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    Ok(())
                } else {
                    Err(CliError::generic(format!("cannot write to stdout: {e}")))
                }
            })
    }

    pub(crate) fn print_json<T: Serialize + ?Sized>(&self, value: &T) -> CliResult<()> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::generic(format!("cannot encode the output: {e}")))?;
        self.print(&text)
    }

    pub(crate) fn table(&self) -> Table {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED);
        if !self.terminal {
            t.force_no_tty();
        }
        if let Some(w) = self.width {
            t.set_width(w);
        }
        if self.width.is_some() {
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
        if self.color {
            t.enforce_styling();
        }
        t
    }

    pub(super) fn health_cell(&self, h: HealthStatus) -> Cell {
        let cell = Cell::new(h.as_str());
        if !self.color {
            return cell;
        }
        cell.fg(match h {
            HealthStatus::Healthy => Color::Green,
            HealthStatus::Unhealthy => Color::Red,
            HealthStatus::NeedsAuth => Color::Yellow,
            HealthStatus::Unknown => Color::Grey,
        })
    }

    /// A server's health, flagged when its tools changed since approval:
    /// a healthy server serving unapproved tools is not simply healthy.
    pub(super) fn server_health_cell(&self, s: &McpServer) -> Cell {
        if s.tools_status != ToolsStatus::Changed {
            return self.health_cell(s.health_status);
        }
        let cell = Cell::new(format!("{} (tools changed)", s.health_status.as_str()));
        if self.color {
            cell.fg(Color::Yellow)
        } else {
            cell
        }
    }

    pub(crate) fn server(&self, s: &McpServer) -> String {
        self.server_with(s, None)
    }

    /// A server, with what its last check found when that is given.
    pub(crate) fn server_with(&self, s: &McpServer, last: Option<&HealthCheckResult>) -> String {
        let mut t = self.table();
        let mut row = |k: &str, v: Cell| {
            t.add_row(vec![Cell::new(k), v]);
        };
        row("ID", Cell::new(s.id));
        row("Name", Cell::new(&s.name));
        row(
            "Description",
            Cell::new(s.description.as_deref().unwrap_or("")),
        );
        row("Type", Cell::new(s.server_type));
        match &s.config {
            ServerConfig::Stdio(c) => {
                row("Command", Cell::new(&c.command));
                row("Args", Cell::new(shell_words::join(&c.args)));
                row("Env", Cell::new(pairs(&c.env, "=")));
            }
            ServerConfig::Remote(c) => {
                row("URL", Cell::new(&c.url));
                row("Headers", Cell::new(pairs(&c.headers, ": ")));
            }
        }
        row("Enabled", Cell::new(yes_no(s.is_enabled)));
        row("Global", Cell::new(yes_no(s.is_global)));
        row("Health", self.health_cell(s.health_status));
        row(
            "Last check",
            Cell::new(s.last_health_check_at.map(time).unwrap_or_default()),
        );
        if let Some(h) = last {
            let r = &h.report;
            let found = match &r.error {
                Some(e) => format!("{e} (at {})", r.phase.as_deref().unwrap_or("?")),
                None => format!("{} tools", r.tools.len()),
            };
            row("Found", Cell::new(format!("{found}; {} ms", r.latency_ms)));
        }
        row(
            "Tools",
            Cell::new(tools_status_text(s.tools_status, &s.name)),
        );
        if !s.check.is_default() {
            row("Checks", Cell::new(check_text(&s.check)));
        }
        row("Owner", Cell::new(s.user_id));
        row("Created", Cell::new(time(s.created_at)));
        row("Updated", Cell::new(time(s.updated_at)));
        t.to_string()
    }

    pub(crate) fn health(&self, h: &HealthCheckResult) -> String {
        let r = &h.report;
        let mut t = self.table();
        let mut row = |k: &str, v: Cell| {
            t.add_row(vec![Cell::new(k), v]);
        };
        row("Server", Cell::new(&h.name));
        row("Status", self.health_cell(h.health_status));
        row("Checked at", Cell::new(time(r.checked_at)));
        row("Latency", Cell::new(format!("{} ms", r.latency_ms)));
        let reported = match (&r.server_name, &r.server_version) {
            (Some(n), Some(v)) => format!("{n} {v}"),
            (Some(n), None) => n.clone(),
            (None, Some(v)) => v.clone(),
            (None, None) => String::new(),
        };
        row("Reports as", Cell::new(reported));
        row(
            "Protocol",
            Cell::new(r.protocol_version.as_deref().unwrap_or("")),
        );
        row(
            "Tools",
            Cell::new(
                r.tools
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        );
        for (k, n) in [("Prompts", r.prompts), ("Resources", r.resources)] {
            if let Some(n) = n {
                row(k, Cell::new(n));
            }
        }
        // A failed check says nothing of the tools.
        if r.status == HealthStatus::Healthy {
            row(
                "Tools status",
                Cell::new(match &r.tool_changes {
                    Some(c) => format!("changed since approval: {}", c.summary()),
                    None => tools_status_text(r.tools_status, &h.name),
                }),
            );
        }
        if !r.warnings.is_empty() {
            row("Warnings", Cell::new(r.warnings.join("\n")));
        }
        if let Some(e) = &r.error {
            row("Error", Cell::new(e));
        }
        if let Some(p) = &r.phase {
            row("Failed at", Cell::new(p));
        }
        if let Some(s) = &r.stderr_tail {
            row("Stderr", Cell::new(s));
        }
        t.to_string()
    }

    /// The summary of `health-check --all`: one row per server, checked or not.
    pub fn health_summary(&self, rows: &[HealthRow]) -> String {
        let mut t = self.table();
        t.set_header(["NAME", "STATUS", "LATENCY", "TOOLS", "DETAIL"]);
        for r in rows {
            match &r.outcome {
                Ok(h) => t.add_row(vec![
                    Cell::new(&r.name),
                    self.health_cell(h.health_status),
                    Cell::new(format!("{} ms", h.report.latency_ms)),
                    Cell::new(h.report.tools.len()),
                    Cell::new(match (&h.report.error, &h.report.tool_changes) {
                        (Some(e), _) => e.clone(),
                        (None, Some(c)) => format!("tools changed: {}", c.summary()),
                        (None, None) => String::new(),
                    }),
                ]),
                Err(e) => t.add_row(vec![
                    Cell::new(&r.name),
                    Cell::new("error"),
                    Cell::new(""),
                    Cell::new(""),
                    Cell::new(&e.message),
                ]),
            };
        }
        t.to_string()
    }

    pub(crate) fn tools(&self, tools: &[ToolInfo]) -> String {
        if tools.is_empty() {
            return "No tools.".into();
        }
        let mut t = self.table();
        t.set_header(["TOOL", "DESCRIPTION"]);
        for tool in tools {
            t.add_row(vec![
                tool.name.as_str(),
                tool.description.as_deref().unwrap_or(""),
            ]);
        }
        t.to_string()
    }

    pub(crate) fn templates(&self, templates: &[Template]) -> String {
        if templates.is_empty() {
            return "No templates.".into();
        }
        let mut t = self.table();
        t.set_header(["NAME", "DISPLAY NAME", "TYPE", "REQUIRES", "DESCRIPTION"]);
        for tpl in templates {
            t.add_row(vec![
                tpl.name.clone(),
                tpl.display_name.clone(),
                tpl.server_type.to_string(),
                requirements(tpl),
                tpl.description.clone(),
            ]);
        }
        t.to_string()
    }

    pub(crate) fn template(&self, tpl: &Template) -> String {
        let mut t = self.table();
        let mut row = |k: &str, v: String| {
            t.add_row(vec![k.to_string(), v]);
        };
        row("Name", tpl.name.clone());
        row("Display name", tpl.display_name.clone());
        row("Description", tpl.description.clone());
        row("Type", tpl.server_type.to_string());
        match &tpl.config {
            ServerConfig::Stdio(c) => {
                row("Command", c.command.clone());
                row("Args", shell_words::join(&c.args));
                row("Env", pairs(&c.env, "="));
            }
            ServerConfig::Remote(c) => {
                row("URL", c.url.clone());
                row("Headers", pairs(&c.headers, ": "));
            }
        }
        row("Requires", requirements(tpl));
        t.to_string()
    }

    pub(crate) fn import(&self, r: &ImportResult) -> String {
        let mut lines = vec![format!("{} (format: {})", r.summary, r.format)];
        if !r.imported.is_empty() {
            lines.push(format!("imported: {}", r.imported.join(", ")));
        }
        if !r.skipped.is_empty() {
            lines.push(format!(
                "skipped (already exist; use --override to replace): {}",
                r.skipped.join(", ")
            ));
        }
        for e in &r.errors {
            lines.push(format!("error: {}: {}", e.name, e.detail));
        }
        for i in &r.ignored {
            lines.push(format!("ignored: {}: field '{}'", i.name, i.field));
        }
        lines.join("\n")
    }

    pub(crate) fn me(&self, me: &Me, api_url: &str) -> String {
        let mut t = self.table();
        t.add_row(vec!["Name".to_string(), me.name.clone()]);
        t.add_row(vec!["Role".to_string(), me.role.as_str().to_string()]);
        t.add_row(vec!["ID".to_string(), me.id.to_string()]);
        t.add_row(vec!["Server".to_string(), api_url.to_string()]);
        t.to_string()
    }
}

/// One server's line in `health-check --all`.
#[derive(Debug)]
pub struct HealthRow {
    pub name: String,
    pub outcome: Result<HealthCheckResult, CliError>,
}

/// Timestamps to the second, in a fixed width so that table columns line up.
fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// A server's own check settings in a few words.
fn check_text(c: &CheckOptions) -> String {
    let mut parts = Vec::new();
    if let Some(s) = c.startup_timeout_secs {
        parts.push(format!("start within {s} s"));
    }
    if let Some(s) = c.request_timeout_secs {
        parts.push(format!("requests within {s} s"));
    }
    if !c.background {
        parts.push("not in background checks".to_string());
    }
    if let Some(t) = &c.call_tool {
        parts.push(format!("calls tool {}", t.name));
    }
    parts.join(", ")
}

fn tools_status_text(status: ToolsStatus, name: &str) -> String {
    match status {
        ToolsStatus::Unpinned => "not pinned yet (no healthy check)".into(),
        ToolsStatus::Approved => "approved".into(),
        ToolsStatus::Changed => {
            format!("changed since approval: see `ai-agent mcp tools diff {name}`")
        }
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn pairs(map: &std::collections::BTreeMap<String, String>, sep: &str) -> String {
    map.iter()
        .map(|(k, v)| format!("{k}{sep}{v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn requirements(tpl: &Template) -> String {
    tpl.required_env
        .iter()
        .map(|e| format!("env {e}"))
        .chain(tpl.required_args.iter().map(|a| format!("arg {a}")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use mcp_model::api::{HealthReport, IgnoredField, ImportError};

    fn plain() -> Output {
        Output {
            format: OutputFormat::Table,
            color: false,
            terminal: false,
            width: None,
        }
    }

    fn result(status: HealthStatus, error: Option<&str>) -> HealthCheckResult {
        let at = chrono::Utc
            .with_ymd_and_hms(2025, 1, 15, 11, 0, 0)
            .single()
            .expect("valid time");
        HealthCheckResult {
            id: uuid::Uuid::nil(),
            name: "my-kubernetes".into(),
            health_status: status,
            last_health_check_at: Some(at),
            report: HealthReport {
                status,
                checked_at: at,
                latency_ms: 42,
                protocol_version: Some("2025-06-18".into()),
                server_name: Some("kubernetes-mcp".into()),
                server_version: Some("1.2.0".into()),
                tools: vec![
                    ToolInfo {
                        name: "list_pods".into(),
                        description: Some("List pods in a namespace".into()),
                        ..Default::default()
                    },
                    ToolInfo {
                        name: "get_logs".into(),
                        ..Default::default()
                    },
                ],
                error: error.map(str::to_string),
                phase: error.map(|_| "initialize".to_string()),
                stderr_tail: None,
                ..Default::default()
            },
        }
    }

    #[test]
    fn health_tables() {
        let o = plain();
        insta::assert_snapshot!(
            "health_healthy",
            o.health(&result(HealthStatus::Healthy, None))
        );
        insta::assert_snapshot!(
            "health_unhealthy",
            o.health(&result(
                HealthStatus::Unhealthy,
                Some("the process exited with status 1")
            ))
        );
        let rows = vec![
            HealthRow {
                name: "my-kubernetes".into(),
                outcome: Ok(result(HealthStatus::Healthy, None)),
            },
            HealthRow {
                name: "broken".into(),
                outcome: Err(CliError::new(
                    crate::exit::Code::NotFound,
                    "MCP server 'broken' not found",
                )),
            },
        ];
        insta::assert_snapshot!("health_summary", o.health_summary(&rows));
        insta::assert_snapshot!(
            "tools",
            o.tools(&result(HealthStatus::Healthy, None).report.tools)
        );
    }

    #[test]
    fn template_tables() {
        let o = plain();
        insta::assert_snapshot!("templates", o.templates(&mcp_model::templates::all()));
        let pg = mcp_model::templates::find("postgres").expect("exists");
        insta::assert_snapshot!("template_postgres", o.template(&pg));
    }

    #[test]
    fn import_summary() {
        let r = ImportResult {
            format: "claude-desktop".into(),
            imported: vec!["kubernetes".into()],
            skipped: vec!["github".into()],
            errors: vec![ImportError {
                name: "broken".into(),
                detail: "config.command: must not be empty".into(),
            }],
            ignored: vec![IgnoredField {
                name: "kubernetes".into(),
                field: "disabled".into(),
            }],
            summary: "Imported 1, skipped 1, errors 1".into(),
        };
        insta::assert_snapshot!("import", plain().import(&r));
    }
}
