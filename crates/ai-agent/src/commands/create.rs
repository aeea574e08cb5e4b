//! `mcp create`: from flags, from a template, or by asking. Deciding what to
//! ask is separate from asking (the [`Prompter`]), so it is tested without a
//! person.

use std::collections::BTreeMap;

use mcp_model::ServerType;
use mcp_model::api::{CreateServer, McpServer, Template};
use mcp_model::config::{
    validate_command, validate_env_key, validate_header_name, validate_url_with_placeholders,
};
use mcp_model::name::validate_name;
use serde_json::{Map, Value, json};

use super::servers::parse_type;
use super::{Ctx, ok};
use crate::cli::CreateArgs;
use crate::exit::{CliError, CliResult, Code};
use crate::prompt::{self, Prompter};

pub(crate) async fn create(ctx: &Ctx, a: &CreateArgs) -> CliResult {
    let mut prompter = prompt::for_stdin();
    let req = match &a.from_template {
        Some(name) => {
            // The server's templates, as `templates --create` uses: the two
            // ways to create from a template must agree.
            let tpl = ctx
                .client()?
                .templates(Some(name))
                .await?
                .templates
                .into_iter()
                .find(|t| &t.name == name)
                .ok_or_else(|| {
                    CliError::new(Code::NotFound, format!("no template named '{name}'"))
                })?;
            let values = TemplateValues::from_flags(&a.env, a.args.as_deref(), &a.arg)?;
            template_request(
                &tpl,
                a.name.as_deref(),
                a.description.as_deref(),
                values,
                prompter.as_mut(),
            )?
        }
        None => flags_request(a, prompter.as_mut())?,
    };
    let req = CreateServer {
        is_global: a.global,
        is_enabled: !a.disabled,
        check: a.check.options()?,
        ..req
    };
    submit(ctx, &ctx.client()?, &req, a.reveal).await
}

/// Sends a create request and shows the new server (`create`, `add`, `add-json`).
pub(super) async fn submit(
    ctx: &Ctx,
    client: &crate::client::Client,
    req: &CreateServer,
    reveal: bool,
) -> CliResult {
    let server = client
        .create_server(req, reveal)
        .await
        .map_err(|e| duplicate_hint(e, &req.name))?;
    show_created(ctx, &server)
}

/// A 409 on create means the name is taken: say what to do instead.
fn duplicate_hint(e: crate::client::ClientError, name: &str) -> CliError {
    let taken = matches!(e, crate::client::ClientError::Api { status: 409, .. });
    let e = CliError::from(e);
    if taken {
        e.with_hint(format!(
            "pick another name with --name, or change the existing one with `ai-agent mcp update {name} …`"
        ))
    } else {
        e
    }
}

fn show_created(ctx: &Ctx, server: &McpServer) -> CliResult {
    if ctx.out.json() {
        ctx.out.print_json(server)?;
    } else {
        ctx.out.print(&format!(
            "Created MCP server '{}' ({}).\n{}",
            server.name,
            server.id,
            ctx.out.server(server)
        ))?;
    }
    ok()
}

/// The values given for a template on the command line.
#[derive(Debug, Default)]
pub(super) struct TemplateValues {
    env: BTreeMap<String, String>,
    /// Values of the template's required arguments, in order.
    args: Vec<String>,
}

impl TemplateValues {
    pub(super) fn from_flags(
        env: &[String],
        args: Option<&str>,
        arg: &[String],
    ) -> CliResult<Self> {
        Ok(TemplateValues {
            env: parse_env(env)?,
            args: all_args(args, arg)?,
        })
    }
}

/// A create request from a template: the given values, and the missing
/// required ones asked for (secrets without echo).
pub(super) fn template_request(
    tpl: &Template,
    name: Option<&str>,
    description: Option<&str>,
    mut values: TemplateValues,
    p: &mut dyn Prompter,
) -> CliResult<CreateServer> {
    if values.args.len() > tpl.required_args.len() {
        return Err(CliError::usage(format!(
            "template '{}' takes {} argument(s) ({}), got {}",
            tpl.name,
            tpl.required_args.len(),
            tpl.required_args.join(", "),
            values.args.len()
        )));
    }
    for key in &tpl.required_env {
        if values.env.get(key).is_none_or(|v| v.is_empty()) {
            let v = p.secret(&format!("{key} (env var for {})", tpl.name))?;
            values.env.insert(key.clone(), v);
        }
    }
    let mut args = BTreeMap::new();
    for (i, arg_name) in tpl.required_args.iter().enumerate() {
        let v = match values.args.get(i) {
            Some(v) => v.clone(),
            None => p.input(
                &format!("{arg_name} (argument for {})", tpl.name),
                None,
                false,
            )?,
        };
        args.insert(arg_name.clone(), v);
    }
    let config = tpl
        .instantiate(&values.env, &args)
        .map_err(|e| CliError::usage(e.message))?;
    let config = serde_json::to_value(&config)
        .map_err(|e| CliError::generic(format!("cannot encode the config: {e}")))?;
    Ok(CreateServer {
        name: name.unwrap_or(&tpl.name).to_string(),
        description: Some(description.unwrap_or(&tpl.description).to_string()),
        server_type: Some(tpl.server_type),
        config,
        is_global: false,
        is_enabled: true,
        check: None,
    })
}

/// A create request from the flags, asking for what is missing when
/// `--interactive` is given.
fn flags_request(a: &CreateArgs, p: &mut dyn Prompter) -> CliResult<CreateServer> {
    let ask = a.interactive;
    let name = match &a.name {
        Some(n) => n.clone(),
        None if ask => p.input_checked("Server name", None, false, &|n| {
            validate_name(n).map_err(|e| e.message)
        })?,
        None => {
            return Err(CliError::usage(
                "--name is required (or use --interactive or --from-template)",
            ));
        }
    };
    let description = match &a.description {
        Some(d) => Some(d.clone()),
        None if ask => {
            Some(p.input("Description (optional)", None, true)?).filter(|d| !d.is_empty())
        }
        None => None,
    };
    let declared = a.server_type.as_deref().map(parse_type).transpose()?;
    let server_type = match (declared, &a.command, &a.url) {
        (Some(t), _, _) => Some(t),
        (None, Some(_), _) => Some(ServerType::Stdio),
        (None, None, Some(_)) => None,
        (None, None, None) if ask => {
            let items = ServerType::ALL.map(ServerType::as_str);
            Some(ServerType::ALL[p.select("Server type", &items, 0)?])
        }
        (None, None, None) => {
            return Err(CliError::usage(
                "give --command (stdio) or --url (sse/http), or use --interactive or --from-template",
            ));
        }
    };
    let remote = server_type.map_or(a.url.is_some(), ServerType::is_remote);
    let config = if remote {
        remote_config(a, p)?
    } else {
        stdio_config(a, p)?
    };
    Ok(CreateServer {
        name,
        description,
        server_type,
        config,
        is_global: false,
        is_enabled: true,
        check: None,
    })
}

fn stdio_config(a: &CreateArgs, p: &mut dyn Prompter) -> CliResult<Value> {
    if a.url.is_some() || a.headers.is_some() || !a.header.is_empty() {
        return Err(CliError::usage(
            "--url, --headers and --header are for sse/http servers; a stdio server takes --command, --args and --env",
        ));
    }
    let command = match &a.command {
        Some(c) => c.clone(),
        None if a.interactive => p.input_checked("Command", None, false, &|c| {
            validate_command(c).map_err(|e| e.message)
        })?,
        None => return Err(CliError::usage("a stdio server needs --command")),
    };
    let mut args = all_args(a.args.as_deref(), &a.arg)?;
    if args.is_empty() && a.interactive {
        let line = p.input_checked("Arguments (shell-quoted, optional)", None, true, &|l| {
            shell_words::split(l).map(drop).map_err(|e| e.to_string())
        })?;
        args = split_args(&line)?;
    }
    let mut env = parse_env(&a.env)?;
    if env.is_empty() && a.interactive {
        ask_pairs(p, "Env var name (empty to finish)", &mut env, &|k| {
            validate_env_key(k).map_err(|e| e.0)
        })?;
    }
    Ok(json!({"command": command, "args": args, "env": env}))
}

fn remote_config(a: &CreateArgs, p: &mut dyn Prompter) -> CliResult<Value> {
    if a.command.is_some() || a.args.is_some() || !a.arg.is_empty() || !a.env.is_empty() {
        return Err(CliError::usage(
            "--command, --args, --arg and --env are for stdio servers; an sse/http server takes --url and --headers",
        ));
    }
    let url = match &a.url {
        Some(u) => u.clone(),
        None if a.interactive => p.input_checked("URL", None, false, &|u| {
            validate_url_with_placeholders(u).map_err(|e| e.message)
        })?,
        None => return Err(CliError::usage("an sse/http server needs --url")),
    };
    let mut headers = parse_headers(a.headers.as_deref(), &a.header)?;
    if headers.is_empty() && a.interactive {
        ask_pairs(p, "Header name (empty to finish)", &mut headers, &|h| {
            validate_header_name(h).map_err(|e| e.0)
        })?;
    }
    let mut config = Map::new();
    config.insert("url".into(), Value::String(url));
    config.insert("headers".into(), json!(headers));
    Ok(Value::Object(config))
}

/// Asks for name/value pairs until an empty name, each name checked by
/// `check`; values are secrets.
fn ask_pairs(
    p: &mut dyn Prompter,
    question: &str,
    into: &mut BTreeMap<String, String>,
    check: crate::prompt::Check<'_>,
) -> CliResult<()> {
    loop {
        let key = p.input_checked(question, None, true, &|k| check(k.trim()))?;
        let key = key.trim();
        if key.is_empty() {
            return Ok(());
        }
        let value = p.secret(&format!("Value of {key}"))?;
        into.insert(key.to_string(), value);
    }
}

/// `--args` (shell-quoted) followed by each `--arg`.
fn all_args(args: Option<&str>, arg: &[String]) -> CliResult<Vec<String>> {
    let mut all = match args {
        Some(line) => split_args(line)?,
        None => Vec::new(),
    };
    all.extend(arg.iter().cloned());
    Ok(all)
}

pub(super) fn split_args(line: &str) -> CliResult<Vec<String>> {
    shell_words::split(line).map_err(|e| CliError::usage(format!("--args '{line}': {e}")))
}

pub(super) fn parse_env(items: &[String]) -> CliResult<BTreeMap<String, String>> {
    items
        .iter()
        .map(|item| match item.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(CliError::usage(format!(
                "--env expects KEY=VALUE, got '{item}'"
            ))),
        })
        .collect()
}

pub(super) fn parse_headers(
    json: Option<&str>,
    items: &[String],
) -> CliResult<BTreeMap<String, String>> {
    let mut headers = match json {
        Some(text) => serde_json::from_str::<BTreeMap<String, String>>(text).map_err(|e| {
            CliError::usage(format!(
                "--headers expects a JSON object of strings, like '{{\"Authorization\": \"Bearer t\"}}': {e}"
            ))
        })?,
        None => BTreeMap::new(),
    };
    for item in items {
        match item.split_once(':') {
            Some((k, v)) if !k.trim().is_empty() => {
                headers.insert(k.trim().to_string(), v.trim().to_string());
            }
            _ => {
                return Err(CliError::usage(format!(
                    "--header expects NAME:VALUE, got '{item}'"
                )));
            }
        }
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command, McpCommand};
    use crate::prompt::{NoTerminal, Scripted};
    use clap::Parser;

    fn create_args(argv: &[&str]) -> CreateArgs {
        let cli =
            Cli::try_parse_from(["ai-agent", "mcp", "create"].iter().chain(argv)).expect("parses");
        match cli.command {
            Command::Mcp(McpCommand::Create(a)) => *a,
            other => panic!("not create: {other:?}"),
        }
    }

    #[test]
    fn spec_flags_make_a_stdio_request() {
        let a = create_args(&[
            "--name",
            "my-kubernetes",
            "--description",
            "My K8s cluster",
            "--type",
            "stdio",
            "--command",
            "npx",
            "--args",
            r#""-y" "@modelcontextprotocol/server-kubernetes""#,
            "--env",
            "KUBECONFIG=/path/to/kubeconfig",
        ]);
        let mut p = Scripted::new(&[]);
        let req = flags_request(&a, &mut p).expect("valid");
        assert!(p.asked.is_empty());
        assert_eq!(req.name, "my-kubernetes");
        assert_eq!(req.server_type, Some(ServerType::Stdio));
        assert_eq!(
            req.config,
            json!({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-kubernetes"],
                   "env": {"KUBECONFIG": "/path/to/kubeconfig"}})
        );
    }

    #[test]
    fn repeated_arg_and_header_forms() {
        let a = create_args(&[
            "--name",
            "x",
            "--command",
            "npx",
            "--arg",
            "-y",
            "--arg",
            "pkg a",
        ]);
        let req = flags_request(&a, &mut NoTerminal).expect("valid");
        assert_eq!(req.config["args"], json!(["-y", "pkg a"]));

        let a = create_args(&[
            "--name",
            "r",
            "--type",
            "sse",
            "--url",
            "https://mcp.example.com/sse",
            "--headers",
            r#"{"Authorization": "Bearer token"}"#,
            "--header",
            "X-Team: blue",
        ]);
        let req = flags_request(&a, &mut NoTerminal).expect("valid");
        assert_eq!(req.server_type, Some(ServerType::Sse));
        assert_eq!(
            req.config,
            json!({"url": "https://mcp.example.com/sse",
                   "headers": {"Authorization": "Bearer token", "X-Team": "blue"}})
        );
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        for argv in [
            &["--command", "npx"][..],
            &["--name", "x"],
            &["--name", "x", "--command", "npx", "--env", "NOEQUALS"],
            &[
                "--name",
                "x",
                "--command",
                "npx",
                "--args",
                "\"unterminated",
            ],
            &["--name", "x", "--url", "https://h", "--headers", "[1]"],
            &["--name", "x", "--url", "https://h", "--env", "A=b"],
            &["--name", "x", "--type", "smtp", "--command", "npx"],
        ] {
            let e = flags_request(&create_args(argv), &mut NoTerminal).expect_err("usage");
            assert_eq!(e.code, Code::Usage, "{argv:?}: {}", e.message);
        }
    }

    #[test]
    fn interactive_answers_are_checked_and_asked_again() {
        let a = create_args(&["--interactive"]);
        let mut p = Scripted::new(&[
            "my k8s", // refused: a space
            "my-k8s",
            "",
            "stdio",
            "npx",
            "'unclosed", // refused: a quote left open
            "-y pkg",
            "BAD-KEY", // refused: not an env var name
            "TOKEN",
            "s3cret",
            "",
        ]);
        let req = flags_request(&a, &mut p).expect("valid");
        assert_eq!(req.name, "my-k8s");
        assert_eq!(
            req.config,
            json!({"command": "npx", "args": ["-y", "pkg"], "env": {"TOKEN": "s3cret"}})
        );
        let refused: Vec<&String> = p
            .asked
            .iter()
            .filter(|q| q.starts_with("refused:"))
            .collect();
        assert_eq!(refused.len(), 3, "{:?}", p.asked);
        assert!(refused[2].contains("BAD-KEY"), "{refused:?}");
        // Each refusal asked the same question again.
        let names = p.asked.iter().filter(|q| *q == "input:Server name").count();
        assert_eq!(names, 2, "{:?}", p.asked);
    }

    #[test]
    fn interactive_asks_only_for_what_is_missing() {
        let a = create_args(&["--interactive", "--name", "k8s"]);
        let mut p = Scripted::new(&[
            "",         // description
            "stdio",    // type
            "npx",      // command
            "-y 'pkg'", // args
            "TOKEN",    // env name
            "s3cret",   // its value
            "",         // done
        ]);
        let req = flags_request(&a, &mut p).expect("valid");
        assert_eq!(req.name, "k8s");
        assert_eq!(req.description, None);
        assert_eq!(
            req.config,
            json!({"command": "npx", "args": ["-y", "pkg"], "env": {"TOKEN": "s3cret"}})
        );
        assert!(!p.asked.iter().any(|q| q.contains("Server name")));
        assert!(
            p.asked.contains(&"secret:Value of TOKEN".to_string()),
            "{:?}",
            p.asked
        );

        let a = create_args(&["--interactive"]);
        let mut p = Scripted::new(&[
            "r",
            "remote one",
            "http",
            "https://h/mcp",
            "Authorization",
            "Bearer x",
            "",
        ]);
        let req = flags_request(&a, &mut p).expect("valid");
        assert_eq!(req.server_type, Some(ServerType::Http));
        assert_eq!(req.description.as_deref(), Some("remote one"));
        assert_eq!(
            req.config,
            json!({"url": "https://h/mcp", "headers": {"Authorization": "Bearer x"}})
        );
    }

    #[test]
    fn interactive_without_terminal_refuses() {
        let a = create_args(&["--interactive"]);
        let e = flags_request(&a, &mut NoTerminal).expect_err("refuses");
        assert_eq!(e.code, Code::Usage);
        assert!(e.message.contains("Server name"), "{}", e.message);
    }

    #[test]
    fn template_asks_for_missing_secrets_and_args() {
        let pg = mcp_model::templates::find("postgres").expect("exists");
        let mut p = Scripted::new(&["postgresql://localhost/mydb"]);
        let req =
            template_request(&pg, None, None, TemplateValues::default(), &mut p).expect("valid");
        assert_eq!(p.asked, ["secret:POSTGRES_URL (env var for postgres)"]);
        assert_eq!(req.name, "postgres");
        assert_eq!(
            req.config["env"]["POSTGRES_URL"],
            "postgresql://localhost/mydb"
        );

        // Given on the command line: nothing is asked.
        let values =
            TemplateValues::from_flags(&["POSTGRES_URL=postgresql://h/db".into()], None, &[])
                .expect("valid");
        let req = template_request(&pg, Some("db"), None, values, &mut NoTerminal).expect("valid");
        assert_eq!(req.name, "db");

        let fs = mcp_model::templates::find("filesystem").expect("exists");
        let mut p = Scripted::new(&["/srv"]);
        let req =
            template_request(&fs, None, None, TemplateValues::default(), &mut p).expect("valid");
        assert_eq!(p.asked, ["input:path (argument for filesystem)"]);
        assert_eq!(
            req.config["args"],
            json!(["-y", "@modelcontextprotocol/server-filesystem", "/srv"])
        );
        let values =
            TemplateValues::from_flags(&[], None, &["/a".into(), "/b".into()]).expect("ok");
        let e = template_request(&fs, None, None, values, &mut NoTerminal).expect_err("too many");
        assert_eq!(e.code, Code::Usage);

        let e = template_request(&pg, None, None, TemplateValues::default(), &mut NoTerminal)
            .expect_err("no terminal");
        assert!(e.message.contains("POSTGRES_URL"), "{}", e.message);
    }
}
