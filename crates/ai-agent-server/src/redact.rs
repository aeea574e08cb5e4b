//! The one redaction mechanism of the server, applied at the two boundaries
//! where text leaves it: a health check's report (stored and shown to every
//! user who may see the server) and the log (whatever crate writes to it).
//!
//! A check holds the real secret values of a config while it talks to a
//! server that may echo them back (a reflected header, a server printing its
//! env to stderr, a URL with `?api_key=` in a transport's error). Rather than
//! guard each message, the check builds a [`Redactor`] from the config: the
//! report is built through it, and while the check runs it is registered so
//! that the log writer ([`ScrubbingWriter`]) scrubs every line with it too.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use mcp_model::{MASK, ServerConfig};

/// Values shorter than this are not scrubbed: replacing `2` or `on`
/// everywhere would mangle every report, and hides nothing a guess would not
/// find (docs/security.md says so).
const SHORT: usize = 4;

/// The longest value whose cut pieces are looked for (see `mask_cut_edges`).
const EDGE_MAX: usize = 512;

/// Where a start of `needle` (more than [`SHORT`] characters, not all of
/// it) ends `before`, if one does: the longest such start.
fn secret_start_before(before: &str, needle: &str) -> Option<usize> {
    let window = before.len().saturating_sub(needle.len());
    (window..before.len())
        .filter(|i| before.is_char_boundary(*i))
        .find(|&i| {
            let piece = &before[i..];
            piece.len() < needle.len() && piece.chars().count() > SHORT && needle.starts_with(piece)
        })
}

/// The secret values of one config, in every form a reply may carry them.
#[derive(Debug, Default)]
pub struct Redactor {
    /// Longest first, so that a value containing another goes whole.
    needles: Vec<String>,
}

impl Redactor {
    /// Every env, header and URL query value of `config`, also
    /// percent-encoded, JSON-escaped, and (for `Scheme credentials` header
    /// values) the credentials alone.
    pub fn for_config(config: &ServerConfig) -> Self {
        let mut needles = Vec::new();
        for value in config.secret_values().into_values() {
            add_forms(&mut needles, &value);
            if let Some((_, credentials)) = value.split_once(' ') {
                add_forms(&mut needles, credentials.trim());
            }
        }
        Self::from_needles(needles)
    }

    /// Longest first, so that a value containing another goes whole.
    fn from_needles(mut needles: Vec<String>) -> Self {
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Redactor { needles }
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// Untrusted `text` for a report: cleaned as by [`untrusted`], every
    /// secret value masked, at most `max` characters. Cleaning comes first,
    /// so that a value split by invisible characters is still found.
    pub fn report_text(&self, text: &str, max: usize) -> String {
        truncate(self.mask_cut_edges(self.scrub(&clean(text))), max)
    }

    /// Text that was cut before it reached the report (a stdout snippet
    /// ending in `…`, a stderr tail that lost its front) may hold a secret's
    /// start at the cut, or its end at the front: too short to match whole,
    /// still a leak. Such pieces of more than [`SHORT`] characters go too,
    /// erring toward masking what merely looks like one. Values longer than
    /// [`EDGE_MAX`] bytes are matched whole only.
    fn mask_cut_edges(&self, mut text: String) -> String {
        for n in self
            .needles
            .iter()
            .filter(|n| n.len() <= EDGE_MAX && n.chars().count() > SHORT)
        {
            // Cuts: the end of the text and every "…".
            let mut cuts: Vec<usize> = text.match_indices('…').map(|(i, _)| i).collect();
            cuts.push(text.len());
            for cut in cuts.into_iter().rev() {
                if let Some(from) = secret_start_before(&text[..cut], n) {
                    text.replace_range(from..cut, MASK);
                }
            }
            // The front: the longest end of the secret the text starts with.
            if let Some(len) = (1..n.len())
                .filter(|k| n.is_char_boundary(*k))
                .map(|k| &n[k..])
                .find(|rest| rest.chars().count() > SHORT && text.starts_with(rest))
                .map(str::len)
            {
                text.replace_range(..len, MASK);
            }
        }
        text
    }

    /// `text` with every secret value replaced by the mask.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for n in self.needles.iter().filter(|n| n.chars().count() >= SHORT) {
            if out.contains(n.as_str()) {
                out = out.replace(n.as_str(), MASK);
            }
        }
        out
    }
}

/// The value as written, and as a server, a client library or a log may
/// show it: form-encoded, percent- and form-decoded (a query value is sent
/// encoded and echoed decoded), re-encoded as the `url` crate writes a
/// query, JSON-escaped, and cleaned as report text is.
fn add_forms(needles: &mut Vec<String>, value: &str) {
    if value.is_empty() || value == MASK {
        return;
    }
    let mut forms = vec![value.to_string()];
    forms.push(url::form_urlencoded::byte_serialize(value.as_bytes()).collect());
    let decoded: String = url::form_urlencoded::parse(format!("v={value}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    forms.push(decoded);
    if let Ok(u) = url::Url::parse(&format!("http://h/?{value}"))
        && let Some(q) = u.query()
    {
        forms.push(q.to_string());
    }
    if let Ok(json) = serde_json::to_string(value) {
        forms.push(json[1..json.len() - 1].to_string());
    }
    forms.push(clean(value));
    needles.extend(forms.into_iter().filter(|f| !f.is_empty() && f != MASK));
}

/// Text a remote server (or a child process) chose, made safe to store and
/// to print on a terminal: no escape sequences, no control or bidirectional
/// formatting characters (newlines and tabs stay), at most `max` characters.
pub fn untrusted(text: &str, max: usize) -> String {
    truncate(clean(text), max)
}

fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI (ESC [ … final byte) or a two-character escape.
            if chars.peek() == Some(&'[') {
                chars.next();
                for f in chars.by_ref() {
                    if ('@'..='~').contains(&f) {
                        break;
                    }
                }
            } else {
                chars.next();
            }
            continue;
        }
        if is_hidden(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// At most `max` characters. Callers scrub before they cut, so that a
/// secret straddling the limit is masked whole rather than leaving a prefix.
fn truncate(text: String, max: usize) -> String {
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return text;
    };
    let mut out = text[..cut].to_string();
    out.push('…');
    out
}

/// What cleaning removes from untrusted text: control characters other than
/// newline and tab, and format controls.
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_format_control(c)
}

/// Bidirectional overrides and zero-width characters, which can make a
/// text read differently from what it holds.
pub fn is_format_control(c: char) -> bool {
    matches!(c,
        '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{061c}')
}

/// The redactors of the checks running now, and of those that ended less
/// than [`RETIRE`] ago: the log writer applies them all. rmcp's transport
/// tasks can log after a check is over (a session DELETE gets 5 s), so a
/// redactor outlives its check.
static LIVE: Mutex<Registry> = Mutex::new(Registry {
    entries: Vec::new(),
    merged: None,
});
static NEXT: AtomicU64 = AtomicU64::new(0);
const RETIRE: Duration = Duration::from_secs(30);

#[derive(Debug)]
struct Registry {
    /// Each guard's id, its redactor, and when the guard dropped.
    entries: Vec<(u64, Arc<Redactor>, Option<Instant>)>,
    /// All their needles as one redactor, built when first needed after a
    /// change, so that a log line does not merge and sort them again.
    merged: Option<Arc<Redactor>>,
}

/// Keeps a redactor applied to the log until dropped, and for [`RETIRE`]
/// after.
#[derive(Debug)]
pub struct LiveGuard(u64);

/// Applies `r` to every log line until the guard drops (and a while after).
pub fn while_alive(r: Arc<Redactor>) -> LiveGuard {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    if !r.is_empty() {
        let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
        live.entries.push((id, r, None));
        live.merged = None;
    }
    LiveGuard(id)
}

impl Drop for LiveGuard {
    fn drop(&mut self) {
        let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
        for entry in live.entries.iter_mut().filter(|e| e.0 == self.0) {
            entry.2 = Some(Instant::now());
        }
    }
}

/// `text` scrubbed by every live (or recently retired) redactor, as one
/// set of needles longest first, so that one check's value cannot split
/// another's longer one.
pub fn scrub_live(text: &str) -> String {
    let merged = {
        let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
        let before = live.entries.len();
        live.entries
            .retain(|(_, _, retired)| retired.is_none_or(|at| at.elapsed() < RETIRE));
        if live.entries.len() != before {
            live.merged = None;
        }
        if live.entries.is_empty() {
            return text.to_string();
        }
        let entries = &live.entries;
        let merged = live.merged.clone().unwrap_or_else(|| {
            Arc::new(Redactor::from_needles(
                entries
                    .iter()
                    .flat_map(|(_, r, _)| r.needles.iter().cloned())
                    .collect(),
            ))
        });
        live.merged = Some(merged.clone());
        merged
    };
    merged.scrub(text)
}

/// A `tracing_subscriber` writer that scrubs each formatted line with the
/// live redactors before it reaches stderr. The fmt layer writes one event
/// per writer, so a line is scrubbed whole, never split across calls.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScrubbingWriter;

/// One event's bytes, written scrubbed when the fmt layer is done with it.
#[derive(Debug, Default)]
pub struct Line(Vec<u8>);

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.0);
        let clean = scrub_live(&text);
        let _ = std::io::stderr().lock().write_all(clean.as_bytes());
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for ScrubbingWriter {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mcp_model::config::normalize;
    use serde_json::json;

    #[test]
    fn scrubs_every_form_of_every_secret() {
        let c = normalize(
            mcp_model::ServerType::Http,
            &json!({"url": "https://h.example/?api_key=q s/1", "headers": {"Authorization": "Bearer tok\"en-123", "X": "ab"}}),
        )
        .expect("valid");
        let r = Redactor::for_config(&c);
        let text = "k=q s/1 enc=q+s%2F1 auth=Bearer tok\"en-123 json=tok\\\"en-123 bare=tok\"en-123 ab cab";
        let out = r.scrub(text);
        for leaked in ["q s/1", "q+s%2F1", "tok\"en-123", "tok\\\"en-123"] {
            assert!(!out.contains(leaked), "{leaked} in {out}");
        }
        assert!(
            out.contains(" ab cab"),
            "short values are left alone: {out}"
        );
    }

    #[test]
    fn untrusted_text_loses_escapes_and_is_bounded() {
        assert_eq!(
            untrusted("a\u{1b}[31mred\u{1b}[0m\u{202e}x\r\n", 100),
            "aredx\n"
        );
        assert_eq!(untrusted("abcdef", 3), "abc…");
    }

    #[test]
    fn report_text_finds_split_secrets_and_cuts_no_prefix() {
        let c = normalize(
            mcp_model::ServerType::Stdio,
            &json!({"command": "x", "env": {"K": "hunter22"}}),
        )
        .expect("valid");
        let r = Redactor::for_config(&c);
        assert_eq!(r.report_text("x hun\u{200b}ter22 y", 100), "x *** y");
        assert_eq!(r.report_text("0123456789hunter22", 12), "0123456789**…");
    }

    #[test]
    fn decoded_query_values_and_cut_secrets_are_masked() {
        let c = normalize(
            mcp_model::ServerType::Http,
            &json!({"url": "https://h.example/?token=abc%2Bdef%2F1&k=a%22b/c", "headers": {"X": "sk-0123456789abcdef"}}),
        )
        .expect("valid");
        let r = Redactor::for_config(&c);
        let out = r.report_text("invalid token abc+def/1 and a%22b/c", 200);
        assert!(
            !out.contains("abc+def/1") && !out.contains("a%22b/c"),
            "{out}"
        );
        // A snippet cut inside the secret, and a tail that lost its front.
        assert_eq!(r.report_text("key=sk-01234…", 200), "key=***…");
        assert_eq!(r.report_text("56789abcdef rest", 200), "*** rest");
    }

    #[test]
    fn live_redactors_apply_until_dropped() {
        let c = normalize(
            mcp_model::ServerType::Stdio,
            &json!({"command": "x", "env": {"K": "live-secret-value"}}),
        )
        .expect("valid");
        let guard = while_alive(Arc::new(Redactor::for_config(&c)));
        assert_eq!(scrub_live("got live-secret-value"), "got ***");
        drop(guard);
        assert_eq!(
            scrub_live("got live-secret-value"),
            "got ***",
            "kept a while after its check, for transport tasks still logging"
        );
    }
}
