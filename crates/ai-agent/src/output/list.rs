//! The server listing for people: a compact table that fits the width
//! (the description cut with `…`), `-o wide` with everything, `-o name`.

use chrono::{DateTime, Utc};
use comfy_table::{Cell, Table, presets};
use mcp_model::api::{McpServer, ToolsStatus};

use super::{Output, yes_no};
use crate::cli::OutputFormat;

/// The narrowest a description is cut to before the table may overflow.
const MIN_DESCRIPTION: usize = 12;

impl Output {
    pub(crate) fn servers(&self, items: &[McpServer]) -> String {
        if items.is_empty() {
            return "No MCP servers.".into();
        }
        match self.format {
            OutputFormat::Name => items
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            OutputFormat::Wide => tidy(&self.wide(items)),
            _ => tidy(&self.compact(items, Utc::now())),
        }
    }

    /// Lists read as gh and kubectl print them: aligned columns, no rules.
    fn list_table(&self) -> Table {
        let mut t = self.table();
        t.load_preset(presets::NOTHING);
        t
    }

    fn compact(&self, items: &[McpServer], now: DateTime<Utc>) -> String {
        let header = [
            "NAME",
            "TYPE",
            "SCOPE",
            "ENABLED",
            "HEALTH",
            "CHECKED",
            "DESCRIPTION",
        ];
        let rows = |cut: Option<usize>| {
            let mut t = self.list_table();
            t.set_header(header);
            for s in items {
                let d = s.description.as_deref().unwrap_or("");
                t.add_row(vec![
                    Cell::new(&s.name),
                    Cell::new(s.server_type),
                    Cell::new(if s.is_global { "global" } else { "own" }),
                    Cell::new(yes_no(s.is_enabled)),
                    self.server_health_cell(s),
                    Cell::new(
                        s.last_health_check_at
                            .map_or("never".into(), |t| ago(t, now)),
                    ),
                    Cell::new(cut.map_or_else(|| first_line(d), |n| shorten(d, n))),
                ]);
            }
            t
        };
        let t = rows(None);
        let Some(width) = self.width.map(usize::from) else {
            return t.to_string();
        };
        // Every column but the description at its widest, two spaces each
        // for padding: what is left is the description's.
        let widths = t.column_max_content_widths();
        let fixed: usize = widths
            .iter()
            .take(header.len() - 1)
            .map(|w| usize::from(*w) + 2)
            .sum();
        let room = width.saturating_sub(fixed + 2).max(MIN_DESCRIPTION);
        rows(Some(room)).to_string()
    }

    fn wide(&self, items: &[McpServer]) -> String {
        let mut t = self.list_table();
        t.set_header([
            "ID",
            "NAME",
            "TYPE",
            "SCOPE",
            "ENABLED",
            "HEALTH",
            "TOOLS",
            "CHECKED",
            "CREATED",
            "DESCRIPTION",
        ]);
        for s in items {
            t.add_row(vec![
                Cell::new(s.id),
                Cell::new(&s.name),
                Cell::new(s.server_type),
                Cell::new(if s.is_global { "global" } else { "own" }),
                Cell::new(yes_no(s.is_enabled)),
                self.health_cell(s.health_status),
                Cell::new(tools(s.tools_status)),
                Cell::new(
                    s.last_health_check_at
                        .map_or("never".into(), |t| t.format("%Y-%m-%d %H:%M").to_string()),
                ),
                Cell::new(s.created_at.format("%Y-%m-%d %H:%M")),
                Cell::new(s.description.as_deref().unwrap_or("")),
            ]);
        }
        t.to_string()
    }
}

/// Without the padding a borderless table puts before its first column
/// and after its last.
fn tidy(table: &str) -> String {
    table
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

fn tools(t: ToolsStatus) -> &'static str {
    match t {
        ToolsStatus::Unpinned => "-",
        ToolsStatus::Approved => "approved",
        ToolsStatus::Changed => "CHANGED",
    }
}

/// How long ago, in the largest whole unit: `just now`, `5m ago`, `3h ago`, `2d ago`.
pub(crate) fn ago(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - t).num_seconds().max(0);
    match secs {
        0..60 => "just now".into(),
        60..3600 => format!("{}m ago", secs / 60),
        3600..86_400 => format!("{}h ago", secs / 3600),
        _ => format!("{}d ago", secs / 86_400),
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").to_string()
}

/// The first line of `text`, at most `max` characters, `…` where it was cut.
fn shorten(text: &str, max: usize) -> String {
    let line = first_line(text);
    let cut = line.lines().count() < text.lines().count();
    match line.char_indices().nth(max.saturating_sub(1)) {
        Some((at, _)) if line.chars().count() > max => format!("{}…", &line[..at]),
        _ if cut => format!("{line}…"),
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn relative_times() {
        let now = Utc
            .with_ymd_and_hms(2026, 1, 2, 0, 0, 0)
            .single()
            .expect("time");
        let before = |s: i64| now - chrono::Duration::seconds(s);
        assert_eq!(ago(before(5), now), "just now");
        assert_eq!(ago(before(300), now), "5m ago");
        assert_eq!(ago(before(3 * 3600 + 5), now), "3h ago");
        assert_eq!(ago(before(2 * 86_400), now), "2d ago");
        assert_eq!(ago(now + chrono::Duration::seconds(9), now), "just now");
    }

    #[test]
    fn descriptions_are_cut_on_a_character() {
        assert_eq!(shorten("Kubernetes cluster", 10), "Kubernete…");
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("two\nlines", 10), "two…");
        assert_eq!(shorten("ééééééééééé", 5), "éééé…");
    }
}
