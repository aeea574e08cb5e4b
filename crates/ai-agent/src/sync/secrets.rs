//! Which secret values a sync writes as references to environment variables,
//! and which variables those are.

use mcp_model::formats::ExportServer;
use mcp_model::formats::client::{EnvRefs, Vars, slot_key};
use mcp_model::secrets::SecretSlot;
use serde::{Deserialize, Serialize};

/// `--secrets`: the owner's values in the file, or references to variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Secrets {
    Inline,
    Env,
}

/// A variable the written file reads, for the user to set.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Variable {
    pub name: String,
    pub server: String,
    /// `env GITHUB_TOKEN`, `header Authorization`, `query key`.
    pub holds: String,
}

/// `NAME` when `value` is a whole `${NAME}` reference (or `Bearer ${NAME}`):
/// a value the registry withheld, or one its owner stored as a reference.
fn reference(value: &str) -> Option<&str> {
    let v = value.strip_prefix("Bearer ").unwrap_or(value);
    let name = v.strip_prefix("${")?.strip_suffix('}')?;
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(name)
}

/// `my-server` + `X-Api-Key` → `MY_SERVER_X_API_KEY`.
fn var_name(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("_")
}

/// What [`choose`] decided for one server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    pub vars: Vars,
    pub variables: Vec<Variable>,
    /// How many secret values are written as they are.
    pub inline: usize,
}

/// The variables of `server`'s secret slots. Values that already are
/// `${NAME}` references keep their variable whatever `mode` is (the client's
/// own reference syntax replaces `${…}`); in env mode every other value gets
/// one too: env `K` is read from `K`, a bearer token from `<SERVER>_TOKEN`,
/// another header or a query value from `<SERVER>_<NAME>`. `refs` is the
/// client's reference syntax, `None` when it reads no variables (then
/// nothing is a reference). Query values stay inline for clients that do not
/// expand URLs.
pub fn choose(server: &ExportServer, mode: Secrets, refs: Option<EnvRefs>) -> Choice {
    let mut choice = Choice::default();
    let Some(refs) = refs else {
        choice.inline = server
            .config
            .secret_values()
            .values()
            .filter(|v| reference(v).is_none())
            .count();
        return choice;
    };
    let mut config = server.config.clone();
    let mut query_index = 0;
    config.for_each_secret_mut(|slot, value| {
        let key = slot_key(slot, query_index);
        let (kind, in_url) = match slot {
            SecretSlot::Env(_) => ("env", false),
            SecretSlot::Header(_) => ("header", false),
            SecretSlot::Query(_) => {
                query_index += 1;
                ("query", true)
            }
        };
        if in_url && !refs.in_url {
            if reference(value).is_none() {
                choice.inline += 1;
            }
            return;
        }
        let var = match (reference(value), mode) {
            (Some(name), _) => name.to_string(),
            (None, Secrets::Inline) => {
                choice.inline += 1;
                return;
            }
            (None, Secrets::Env) => match slot {
                SecretSlot::Env(k) => k.to_string(),
                SecretSlot::Header(h)
                    if h.eq_ignore_ascii_case("authorization") && value.starts_with("Bearer ") =>
                {
                    var_name(&[&server.name, "TOKEN"])
                }
                SecretSlot::Header(n) | SecretSlot::Query(n) => var_name(&[&server.name, n]),
            },
        };
        choice.variables.push(Variable {
            name: var.clone(),
            server: server.name.clone(),
            holds: format!("{kind} {}", slot.name()),
        });
        choice.vars.insert(key, var);
    });
    choice
}

#[cfg(test)]
mod tests {
    use super::*;
    use mcp_model::formats::client::{dollar_brace, env_colon};
    use mcp_model::{RemoteConfig, ServerConfig, ServerType, StdioConfig};

    const URL_REFS: EnvRefs = EnvRefs {
        reference: dollar_brace,
        in_url: true,
    };
    const NO_URL_REFS: EnvRefs = EnvRefs {
        reference: env_colon,
        in_url: false,
    };

    fn stdio(env: &[(&str, &str)]) -> ExportServer {
        ExportServer {
            name: "git-hub".into(),
            server_type: ServerType::Stdio,
            config: ServerConfig::Stdio(StdioConfig {
                command: "npx".into(),
                args: vec![],
                env: env
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            }),
        }
    }

    fn remote(url: &str, headers: &[(&str, &str)]) -> ExportServer {
        ExportServer {
            name: "search".into(),
            server_type: ServerType::Http,
            config: ServerConfig::Remote(RemoteConfig {
                url: url.into(),
                headers: headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            }),
        }
    }

    #[test]
    fn inline_keeps_values_but_not_placeholders() {
        let s = stdio(&[("TOKEN", "ghp_real"), ("OTHER", "${WITHHELD}")]);
        let c = choose(&s, Secrets::Inline, Some(URL_REFS));
        assert_eq!(c.inline, 1);
        let (vars, list) = (c.vars, c.variables);
        assert_eq!(
            vars,
            [("env:OTHER".to_string(), "WITHHELD".to_string())].into()
        );
        assert_eq!(list[0].name, "WITHHELD");
        assert_eq!(list[0].holds, "env OTHER");
    }

    #[test]
    fn env_mode_names_every_slot() {
        let s = remote(
            "https://x.test/mcp?key=abc&plain",
            &[("Authorization", "Bearer t0k"), ("X-Api-Key", "k")],
        );
        let vars = choose(&s, Secrets::Env, Some(URL_REFS)).vars;
        assert_eq!(
            vars.get("header:Authorization").map(String::as_str),
            Some("SEARCH_TOKEN")
        );
        assert_eq!(
            vars.get("header:X-Api-Key").map(String::as_str),
            Some("SEARCH_X_API_KEY")
        );
        assert_eq!(vars.get("query:0").map(String::as_str), Some("SEARCH_KEY"));
        let c = choose(&s, Secrets::Env, Some(NO_URL_REFS));
        assert_eq!(c.inline, 2, "both query values");
        let vars = c.vars;
        assert!(
            !vars.contains_key("query:0"),
            "URLs the client does not expand stay inline"
        );
        let vars = choose(&stdio(&[("K", "v")]), Secrets::Env, Some(URL_REFS)).vars;
        assert_eq!(vars.get("env:K").map(String::as_str), Some("K"));
    }

    #[test]
    fn a_client_without_references_gets_none() {
        let s = stdio(&[("OTHER", "${WITHHELD}")]);
        let c = choose(&s, Secrets::Env, None);
        assert_eq!((c.vars, c.variables, c.inline), (Vars::new(), vec![], 0));
        let c = choose(&stdio(&[("K", "v")]), Secrets::Inline, None);
        assert_eq!(c.inline, 1);
    }

    #[test]
    fn only_whole_references_count() {
        assert_eq!(reference("${A_1}"), Some("A_1"));
        assert_eq!(reference("Bearer ${T}"), Some("T"));
        assert_eq!(reference("x${A}"), None);
        assert_eq!(reference("${1A}"), None);
        assert_eq!(reference("${A B}"), None);
        assert_eq!(reference("${}"), None);
    }
}
