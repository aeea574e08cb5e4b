//! Which parts of a config are secret, and how they are masked, restored and
//! kept: env values (stdio), header values and URL query values (remote).
//!
//! A query value is a secret because that is where many servers take their
//! API key (`?api_key=…`). It is addressed by its position among the query's
//! values (`?0`, `?1`, …), which never clashes with a header name (`?` is not
//! an HTTP token character), so one sealed map holds every secret of a row.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::MASK;
use crate::config::{ServerConfig, ServerType};
use crate::validation::ValidationError;

/// Where a secret value sits, for messages and for export placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSlot<'a> {
    Env(&'a str),
    Header(&'a str),
    /// A URL query value and its parameter's name (empty for a bare `?value`).
    Query(&'a str),
}

impl SecretSlot<'_> {
    /// The field path of the slot, as validation errors name it.
    pub fn field(&self) -> String {
        match self {
            SecretSlot::Env(k) => format!("config.env.{k}"),
            SecretSlot::Header(k) => format!("config.headers.{k}"),
            SecretSlot::Query(k) => format!("config.url?{k}"),
        }
    }

    /// The name the value goes by (env key, header name or query parameter).
    pub fn name(&self) -> &str {
        match self {
            SecretSlot::Env(k) | SecretSlot::Header(k) | SecretSlot::Query(k) => k,
        }
    }
}

/// One query value of a URL: its parameter's name and the value's byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
struct QueryValue {
    name: String,
    range: Range<usize>,
}

/// The non-empty query values of `url`, in order. Works on the text as
/// written (placeholders included) so that restoring gives back the same bytes.
fn query_values(url: &str) -> Vec<QueryValue> {
    // The URL's own `?`, `&`, `=` and `#`: never one inside a `${…}`
    // placeholder, and no `?` after the fragment began.
    let syntax = outside_placeholders(url);
    let Some(q) = syntax
        .iter()
        .find(|(_, c)| matches!(c, '?' | '#'))
        .filter(|(_, c)| *c == '?')
        .map(|(i, _)| *i)
    else {
        return Vec::new();
    };
    let end = syntax
        .iter()
        .find(|(i, c)| *i > q && *c == '#')
        .map_or(url.len(), |(i, _)| *i);
    let mut bounds: Vec<usize> = syntax
        .iter()
        .filter(|(i, c)| *i > q && *i < end && *c == '&')
        .map(|(i, _)| *i)
        .collect();
    bounds.push(end);
    let mut out = Vec::new();
    let mut start = q + 1;
    for stop in bounds {
        let piece = &url[start..stop];
        let eq = syntax
            .iter()
            .find(|(i, c)| *i >= start && *i < stop && *c == '=')
            .map(|(i, _)| i - start);
        let (name, range) = match eq {
            Some(eq) => (&piece[..eq], start + eq + 1..stop),
            None => ("", start..stop),
        };
        if !range.is_empty() {
            out.push(QueryValue {
                name: name.to_string(),
                range,
            });
        }
        start = stop + 1;
    }
    out
}

/// The URL syntax characters (`?`, `&`, `=`, `#`) of `url` with their byte
/// offsets, leaving out those inside `${…}` placeholders.
fn outside_placeholders(url: &str) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut prev = '\0';
    for (i, c) in url.char_indices() {
        match c {
            '{' if prev == '$' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            '?' | '&' | '=' | '#' if depth == 0 => out.push((i, c)),
            _ => {}
        }
        prev = c;
    }
    out
}

/// `url` with its query values replaced, in order, by `values`' entries
/// where `values` gives one.
fn replace_query_values(
    url: &str,
    mut value_for: impl FnMut(usize, &str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(url.len());
    let mut at = 0;
    for (i, v) in query_values(url).iter().enumerate() {
        out.push_str(&url[at..v.range.start]);
        match value_for(i, &url[v.range.clone()]) {
            Some(new) => out.push_str(&new),
            None => out.push_str(&url[v.range.clone()]),
        }
        at = v.range.end;
    }
    out.push_str(&url[at..]);
    out
}

/// The URL with every query value masked: how a URL is shown in messages.
pub fn masked_url(url: &str) -> String {
    replace_query_values(url, |_, _| Some(MASK.to_string()))
}

fn query_key(i: usize) -> String {
    format!("?{i}")
}

impl ServerConfig {
    /// Every secret value, keyed as it is sealed: env keys, header names, and
    /// `?N` for the N-th query value of the URL.
    pub fn secret_values(&self) -> BTreeMap<String, String> {
        match self {
            ServerConfig::Stdio(c) => c.env.clone(),
            ServerConfig::Remote(c) => {
                let mut out = c.headers.clone();
                for (i, v) in query_values(&c.url).iter().enumerate() {
                    out.insert(query_key(i), c.url[v.range.clone()].to_string());
                }
                out
            }
        }
    }

    /// Puts values from [`secret_values`](Self::secret_values) back in place
    /// of masks. A slot the map does not name keeps what it holds.
    pub fn restore_secrets(&mut self, sealed: &BTreeMap<String, String>) {
        match self {
            ServerConfig::Stdio(c) => fill(&mut c.env, sealed),
            ServerConfig::Remote(c) => {
                fill(&mut c.headers, sealed);
                c.url = replace_query_values(&c.url, |i, _| sealed.get(&query_key(i)).cloned());
            }
        }
    }

    /// Visits every secret value with where it sits, to rewrite it in place
    /// (masking, or an export placeholder for a value the reader may not see).
    pub fn for_each_secret_mut(&mut self, mut f: impl FnMut(SecretSlot<'_>, &mut String)) {
        match self {
            ServerConfig::Stdio(c) => c.env.iter_mut().for_each(|(k, v)| f(SecretSlot::Env(k), v)),
            ServerConfig::Remote(c) => {
                c.headers
                    .iter_mut()
                    .for_each(|(k, v)| f(SecretSlot::Header(k), v));
                let names: Vec<QueryValue> = query_values(&c.url);
                c.url = replace_query_values(&c.url, |i, old| {
                    let mut v = old.to_string();
                    let name = names.get(i).map_or("", |q| q.name.as_str());
                    f(SecretSlot::Query(name), &mut v);
                    Some(v)
                });
            }
        }
    }

    /// The same config with every secret value replaced by [`MASK`].
    pub fn masked(&self) -> ServerConfig {
        let mut c = self.clone();
        c.for_each_secret_mut(|_, v| *v = MASK.to_string());
        c
    }

    /// Every secret value with its slot, for checks that read them.
    fn secret_slots(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        self.clone()
            .for_each_secret_mut(|slot, v| out.push((slot.field(), v.clone())));
        out
    }
}

fn fill(map: &mut BTreeMap<String, String>, sealed: &BTreeMap<String, String>) {
    for (k, v) in map.iter_mut() {
        if let Some(real) = sealed.get(k) {
            v.clone_from(real);
        }
    }
}

/// Refuses a config holding the mask as a secret value: stored, it would
/// replace a real secret with `***`. (An update may send masks back; see
/// [`unmask_from`].)
pub fn reject_masks(config: &ServerConfig) -> Result<(), ValidationError> {
    match config.secret_slots().into_iter().find(|(_, v)| v == MASK) {
        Some((field, _)) => Err(ValidationError::new(
            field,
            format!("is the mask '{MASK}', not a value; give the real value"),
        )),
        None => Ok(()),
    }
}

/// Fills masked values (`***`) in `new` from `old` (which holds real values),
/// so that a config fetched masked and sent back changed elsewhere keeps its
/// secrets. Env and headers match by name; a query value matches the value of
/// the same parameter at the same occurrence. A masked value with nothing to
/// fill it from is an error: storing `***` would lose the secret.
pub fn unmask_from(new: &mut ServerConfig, old: &ServerConfig) -> Result<(), ValidationError> {
    let same_kind = new.fits(ServerType::Stdio) == old.fits(ServerType::Stdio);
    let old_map = if same_kind {
        old.secret_values()
    } else {
        BTreeMap::new()
    };
    let old_query: Vec<(String, String)> = match old {
        ServerConfig::Remote(c) if same_kind => query_values(&c.url)
            .into_iter()
            .map(|q| (q.name, c.url[q.range].to_string()))
            .collect(),
        _ => Vec::new(),
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut missing = None;
    new.for_each_secret_mut(|slot, v| {
        let nth = match slot {
            SecretSlot::Query(name) => {
                let n = seen.entry(name.to_string()).or_default();
                *n += 1;
                *n - 1
            }
            _ => 0,
        };
        if v != MASK {
            return;
        }
        let real = match slot {
            SecretSlot::Env(k) | SecretSlot::Header(k) => old_map.get(k).cloned(),
            SecretSlot::Query(name) => old_query
                .iter()
                .filter(|(n, _)| n == name)
                .nth(nth)
                .map(|(_, v)| v.clone()),
        };
        match real {
            Some(real) => *v = real,
            None => {
                missing.get_or_insert_with(|| slot.field());
            }
        }
    });
    match missing {
        Some(field) => Err(ValidationError::new(
            field,
            format!("is the mask '{MASK}' but no stored value exists to keep"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::normalize;
    use serde_json::json;

    fn remote(url: &str) -> ServerConfig {
        normalize(
            ServerType::Http,
            &json!({"url": url, "headers": {"X-Api-Key": "hdr-secret"}}),
        )
        .expect("valid")
    }

    #[test]
    fn query_values_are_secrets_by_position() {
        let c = remote("https://h.example/mcp?api_key=k1&mode=x&flag&empty=#frag");
        let s = c.secret_values();
        assert_eq!(s.get("?0").map(String::as_str), Some("k1"));
        assert_eq!(s.get("?1").map(String::as_str), Some("x"));
        assert_eq!(s.get("?2").map(String::as_str), Some("flag"));
        assert_eq!(s.get("?3"), None, "an empty value hides nothing");
        assert_eq!(s.get("X-Api-Key").map(String::as_str), Some("hdr-secret"));
        let ServerConfig::Remote(m) = c.masked() else {
            panic!("remote")
        };
        assert_eq!(
            m.url,
            "https://h.example/mcp?api_key=***&mode=***&***&empty=#frag"
        );
        assert_eq!(m.headers["X-Api-Key"], MASK);
        let mut back = c.masked();
        back.restore_secrets(&s);
        assert_eq!(back, c, "restoring gives back the same bytes");
    }

    #[test]
    fn masks_are_refused_on_create_and_filled_on_update() {
        assert_eq!(
            reject_masks(&remote("https://h.example/?k=***"))
                .expect_err("mask")
                .field,
            "config.url?k"
        );
        let old = remote("https://h.example/?k=one&k=two&other=3");
        let mut new = remote("https://h.example/v2?k=***&k=***&new=4");
        unmask_from(&mut new, &old).expect("fills");
        let ServerConfig::Remote(n) = &new else {
            panic!("remote")
        };
        assert_eq!(n.url, "https://h.example/v2?k=one&k=two&new=4");
        let mut bad = remote("https://h.example/?unknown=***");
        assert_eq!(
            unmask_from(&mut bad, &old).expect_err("no value").field,
            "config.url?unknown"
        );
    }

    #[test]
    fn env_masking_and_unmasking() {
        let old = normalize(
            ServerType::Stdio,
            &json!({"command": "x", "env": {"A": "secret"}}),
        )
        .expect("valid");
        let masked = old.masked();
        assert_eq!(
            masked.secret_values().get("A").map(String::as_str),
            Some(MASK)
        );
        let mut new = masked.clone();
        unmask_from(&mut new, &old).expect("fills");
        assert_eq!(new, old);
        let mut other = normalize(
            ServerType::Stdio,
            &json!({"command": "x", "env": {"B": MASK}}),
        )
        .expect("valid");
        assert_eq!(
            unmask_from(&mut other, &old).expect_err("no value").field,
            "config.env.B"
        );
    }

    #[test]
    fn placeholders_and_fragments_are_not_query_syntax() {
        assert_eq!(
            masked_url("https://h.example/p#a?x=1"),
            "https://h.example/p#a?x=1"
        );
        assert_eq!(
            masked_url("https://${input:h?}/p?k=${X:-a#b}&j=2"),
            "https://${input:h?}/p?k=***&j=***"
        );
    }

    #[test]
    fn masked_url_hides_values_only() {
        assert_eq!(masked_url("https://a.example/p"), "https://a.example/p");
        assert_eq!(
            masked_url("https://a.example/p?token=abc&x=1"),
            "https://a.example/p?token=***&x=***"
        );
    }
}
