//! The command line's grammar. Kept apart from the commands so that
//! completions and the man page are generated from exactly what is parsed.

mod check;
mod edit;
mod names;

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use mcp_model::formats::{Format, Scope};

use crate::sync::secrets::Secrets;
pub(crate) use check::{CheckArgs, UpdateCheckArgs};
pub(crate) use edit::ConfigEditArgs;

const EXAMPLES: &str = "\
Examples:
  ai-agent login --api-url https://mcp.example.com --with-token < token.txt
  ai-agent mcp add fs -- npx -y @modelcontextprotocol/server-filesystem ~/src
  ai-agent mcp health-check --all
  ai-agent mcp sync --client claude-code --dry-run
  ai-agent man mcp sync";

/// The exit codes, in the order `docs/cli.md` lists them; shown by `--help`
/// because scripts branch on them.
const LONG_ABOUT: &str = "\
Command-line client for the ai-agent MCP server registry: register, share,
health-check, import and export MCP server configurations.

Connection settings are taken from flags, else the environment
(AI_AGENT_API_URL, AI_AGENT_TOKEN), else the file written by `ai-agent login`
(AI_AGENT_CONFIG names another file), else the default http://127.0.0.1:8080.

Exit codes:
  0  success
  1  generic failure
  2  usage error (bad flags or arguments)
  3  not found
  4  conflict (e.g. a server with that name already exists)
  5  authentication or authorization failure (401/403)
  6  cannot connect to the server
  7  validation error (the server answered 400/422)
  8  a health check found a server unhealthy
  9  an import finished with some servers failing
  10 a sync left conflicts (entries it would not overwrite)
  11 a server's tools changed since they were approved (health-check, tools diff)";

#[derive(Debug, Parser)]
#[command(name = "ai-agent", version, about = "Manage MCP server configurations on an ai-agent server", long_about = LONG_ABOUT, after_help = EXAMPLES)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand accepts; they override the settings file.
#[derive(Debug, Args)]
pub struct GlobalOpts {
    /// Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]
    #[arg(long, global = true, env = "AI_AGENT_API_URL", value_name = "URL")]
    pub api_url: Option<String>,
    /// API token
    #[arg(
        long,
        global = true,
        env = "AI_AGENT_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// The CLI's own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]
    #[arg(long, global = true, env = "AI_AGENT_CONFIG", value_name = "FILE")]
    pub cli_settings: Option<std::path::PathBuf>,
    /// Output format: tables for people, JSON in the API's shapes, or for lists wide or name
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// JSON output uses the API's own shapes, so scripts need not parse tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Tables for people, as wide as the terminal (or COLUMNS)
    Table,
    /// The API's JSON
    Json,
    /// Lists with every column (the id, tools, times); else as table
    Wide,
    /// Lists as names, one per line; else as table
    Name,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Manage MCP servers
    #[command(subcommand)]
    Mcp(McpCommand),
    /// Check a token against the server and remember the URL and token
    Login {
        /// Read the token from standard input, e.g. `ai-agent login --with-token < token.txt`
        /// (keeps it out of the shell history and the process list)
        #[arg(long)]
        with_token: bool,
    },
    /// Forget the stored URL and token
    Logout,
    /// Show who the current token belongs to
    Whoami,
    /// Show the audit log, newest first: your changes (an admin sees everyone's)
    #[command(
        after_help = "Examples:\n  ai-agent audit\n  ai-agent audit --server github --limit 10\n  ai-agent audit -o json | jq '.items[].action'"
    )]
    Audit(AuditArgs),
    /// Print a shell completion script to stdout
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff) to stdout: the CLI's, or a command's (`man mcp list`)
    Man {
        /// The command whose page to print
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,
        /// Print every page's file name and command instead (for `cargo xtask generate`)
        #[arg(long, hide = true)]
        list: bool,
    },
}

#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    /// Only the entries about this server
    #[arg(long, value_name = "ID|NAME", add = names::server_names())]
    pub server: Option<String>,
    /// How many entries to show
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..=1000))]
    pub limit: i64,
}

#[derive(Debug, Subcommand)]
pub(crate) enum McpCommand {
    /// List the servers you can see (yours and global ones)
    #[command(visible_alias = "ls")]
    #[command(
        after_help = "Examples:\n  ai-agent mcp list\n  ai-agent mcp ls 'git*' --sort health\n  ai-agent mcp list --health unhealthy -o name\n  ai-agent mcp list -o wide"
    )]
    List(ListArgs),
    /// Register a new MCP server
    Create(Box<CreateArgs>),
    /// Register a server in one line: `add NAME -- COMMAND ARGS…` or `add NAME URL`
    #[command(
        after_help = "Examples:\n  ai-agent mcp add fs -- npx -y @modelcontextprotocol/server-filesystem ~/src\n  ai-agent mcp add github -e GITHUB_TOKEN=ghp_xxx -- npx -y @modelcontextprotocol/server-github\n  ai-agent mcp add docs https://mcp.example.com/mcp -H 'Authorization: Bearer tok'\n  ai-agent mcp add --transport sse events https://mcp.example.com/sse"
    )]
    Add(Box<AddArgs>),
    /// Register a server from its JSON config, as `claude mcp add-json` takes it
    AddJson(Box<AddJsonArgs>),
    /// Show one server
    Get(GetArgs),
    /// Change a server's description, config or state
    #[command(
        after_help = "Examples:\n  ai-agent mcp update github --env GITHUB_TOKEN=ghp_new\n  ai-agent mcp update docs --header 'X-Team: core' --unset-header X-Old\n  ai-agent mcp update fs --config @fs.json\n  ai-agent mcp update fs --enabled false --no-background-check"
    )]
    Update(Box<UpdateArgs>),
    /// Delete one or more servers (asks first on a terminal, unless --yes)
    #[command(visible_alias = "rm")]
    Delete(DeleteArgs),
    /// Connect to a server (or all of them) and report its health
    #[command(
        after_help = "Examples:\n  ai-agent mcp health-check github\n  ai-agent mcp health-check --all --concurrency 4\n  ai-agent mcp health-check slow-one --timeout 120"
    )]
    HealthCheck(HealthCheckArgs),
    /// List the tools a server offered at its last health check; `diff` and
    /// `approve` for the approved (pinned) set
    #[command(
        after_help = "Examples:\n  ai-agent mcp tools github\n  ai-agent mcp tools github -o json\n  ai-agent mcp tools diff github\n  ai-agent mcp tools approve github"
    )]
    Tools(ToolsArgs),
    /// Import servers from an MCP client config file (Claude Desktop, Cursor, …)
    #[command(
        after_help = "Examples:\n  ai-agent mcp import ~/.cursor/mcp.json\n  ai-agent mcp import --from claude-code --scope user\n  cat servers.json | ai-agent mcp import - --override"
    )]
    Import(ImportArgs),
    /// Export your servers as an MCP client config file, to stdout
    #[command(
        after_help = "Examples:\n  ai-agent mcp export --format cursor > .cursor/mcp.json\n  ai-agent mcp export --format codex --servers github,fs --approved-only"
    )]
    Export(ExportArgs),
    /// Write your servers into an MCP client's own config file, changing nothing else in it
    #[command(
        after_help = "Examples:\n  ai-agent mcp sync --client claude-code --dry-run\n  ai-agent mcp sync --client cursor --scope project --secrets env\n  ai-agent mcp sync --client codex --prune --approved-only"
    )]
    Sync(SyncArgs),
    /// List the MCP client config files on this machine and how far each is from the registry
    Clients(ClientsArgs),
    /// Show the built-in server templates, or create a server from one
    Templates(TemplatesArgs),
}

/// `mcp tools NAME`, `mcp tools diff NAME` or `mcp tools approve NAME`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(crate) struct ToolsArgs {
    /// Server id or name
    #[arg(value_name = "ID|NAME", required = true, add = names::server_names())]
    pub server: Option<String>,
    #[command(subcommand)]
    pub action: Option<ToolsCommand>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ToolsCommand {
    /// Show what changed since the tools were approved (exit 11 when something did)
    Diff(ServerRef),
    /// Approve the tools of the last healthy check, after showing what changed
    Approve(ApproveArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ApproveArgs {
    /// Server id or name
    #[arg(value_name = "ID|NAME", add = names::server_names())]
    pub server: String,
    /// Approve without asking (needed when stdin is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DeleteArgs {
    /// Server ids or names
    #[arg(value_name = "ID|NAME", required = true, add = names::server_names())]
    pub servers: Vec<String>,
    /// Do not ask, even on a terminal
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ServerRef {
    /// Server id or name
    #[arg(value_name = "ID|NAME", add = names::server_names())]
    pub server: String,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Only the servers whose name matches, e.g. 'git*' (* and ?, any case)
    #[arg(value_name = "PATTERN")]
    pub pattern: Option<String>,
    /// Only servers of this type (stdio, sse, http)
    #[arg(long = "type", value_name = "TYPE")]
    pub server_type: Option<String>,
    /// Only servers whose last check found this: healthy, unhealthy, needs_auth, unknown
    #[arg(long, value_name = "STATUS", value_parser = ["healthy", "unhealthy", "needs_auth", "unknown"])]
    pub health: Option<String>,
    /// Only global servers
    #[arg(long, conflicts_with = "own")]
    pub global: bool,
    /// Only your own servers
    #[arg(long)]
    pub own: bool,
    /// Order by name, creation (oldest first) or health (failing first)
    #[arg(long, value_enum, value_name = "KEY")]
    pub sort: Option<SortKey>,
    /// Only enabled (true) or disabled (false) servers
    #[arg(long, value_name = "BOOL")]
    pub enabled: Option<bool>,
    /// Show the secret values of your own servers
    #[arg(long)]
    pub reveal: bool,
    /// One page of at most N servers (1-1000), newest first, instead of all of them
    #[arg(long, value_name = "N")]
    pub limit: Option<i64>,
    /// The page after the one that printed this cursor
    #[arg(long, value_name = "CURSOR")]
    pub after: Option<String>,
    /// Ask the server for a listing computed now, not the one it keeps until
    /// the data changes (a change made through another instance of a
    /// load-balanced server reaches it within milliseconds)
    #[arg(long)]
    pub fresh: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SortKey {
    Name,
    Created,
    Health,
}

#[derive(Debug, Args)]
pub(crate) struct GetArgs {
    #[command(flatten)]
    pub server: ServerRef,
    /// Show the secret values (owner only)
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// Server name (defaults to the template's name with --from-template)
    #[arg(long, visible_alias = "server-name")]
    pub name: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// stdio, sse or http (guessed from --command / --url when absent)
    #[arg(long = "type", value_name = "TYPE")]
    pub server_type: Option<String>,
    /// Program to run (stdio)
    #[arg(long, conflicts_with = "url")]
    pub command: Option<String>,
    /// Arguments as one shell-quoted string, e.g. '"-y" "@pkg"'
    #[arg(long, value_name = "ARGS", allow_hyphen_values = true)]
    pub args: Option<String>,
    /// One argument; repeatable, appended after --args
    #[arg(long = "arg", value_name = "ARG", allow_hyphen_values = true)]
    pub arg: Vec<String>,
    /// Environment variable KEY=VALUE (stdio); repeatable
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// URL of a remote (sse/http) server
    #[arg(long)]
    pub url: Option<String>,
    /// HTTP headers as a JSON object (sse/http)
    #[arg(long, value_name = "JSON")]
    pub headers: Option<String>,
    /// One HTTP header NAME:VALUE; repeatable
    #[arg(long = "header", value_name = "NAME:VALUE")]
    pub header: Vec<String>,
    /// Make the server visible to every user (admins only)
    #[arg(long)]
    pub global: bool,
    /// Register the server disabled
    #[arg(long)]
    pub disabled: bool,
    #[command(flatten)]
    pub check: CheckArgs,
    /// Ask for whatever the flags do not give
    #[arg(long, short = 'i')]
    pub interactive: bool,
    /// Start from a built-in template (see `ai-agent mcp templates`)
    #[arg(long, value_name = "TEMPLATE", conflicts_with_all = ["command", "url", "headers", "header", "server_type"])]
    pub from_template: Option<String>,
    /// Show the secret values in the answer
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ai-agent mcp add fs -e ROOT=/data -- npx -y @modelcontextprotocol/server-filesystem /data
  ai-agent mcp add --transport http docs https://mcp.example.com/mcp -H 'Authorization: Bearer TOKEN'")]
pub(crate) struct AddArgs {
    /// Server name
    pub name: String,
    /// stdio (the default with a command), http (the default with a URL) or sse
    #[arg(long, short = 't', value_parser = ["stdio", "http", "sse"])]
    pub transport: Option<String>,
    /// Environment variable of a stdio server; repeatable
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// HTTP header of a remote server; repeatable
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub header: Vec<String>,
    /// The remote server's URL (or give it as the last argument)
    #[arg(long)]
    pub url: Option<String>,
    /// What the server is for
    #[arg(long)]
    pub description: Option<String>,
    /// Make the server visible to every user (admins only)
    #[arg(long)]
    pub global: bool,
    /// Register the server disabled
    #[arg(long)]
    pub disabled: bool,
    /// Show the secret values in the answer
    #[arg(long)]
    pub reveal: bool,
    #[command(flatten)]
    pub check: CheckArgs,
    /// The stdio server's command, or the remote server's URL
    #[arg(value_name = "COMMAND_OR_URL")]
    pub command_or_url: Option<String>,
    /// The command's arguments, after -- (or the whole command: `-- npx -y pkg`)
    #[arg(value_name = "ARGS", last = true)]
    pub args: Vec<String>,
}

#[derive(Debug, Args)]
#[command(after_help = r#"Examples:
  ai-agent mcp add-json time '{"type":"stdio","command":"uvx","args":["mcp-server-time"]}'
  ai-agent mcp add-json docs '{"type":"http","url":"https://mcp.example.com/mcp"}'"#)]
pub(crate) struct AddJsonArgs {
    /// Server name
    pub name: String,
    /// The config: `type` and its fields (command/args/env, or url/headers); - reads stdin
    #[arg(value_name = "JSON|-")]
    pub json: String,
    /// What the server is for
    #[arg(long)]
    pub description: Option<String>,
    /// Make the server visible to every user (admins only)
    #[arg(long)]
    pub global: bool,
    #[command(flatten)]
    pub check: CheckArgs,
    /// Show the secret values in the answer
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
pub(crate) struct UpdateArgs {
    #[command(flatten)]
    pub server: ServerRef,
    /// Rename the server
    #[arg(long)]
    pub name: Option<String>,
    /// New description ("" clears it)
    #[arg(long)]
    pub description: Option<String>,
    #[command(flatten)]
    pub edit: ConfigEditArgs,
    /// Change the type along with --config
    #[arg(long = "type", value_name = "TYPE", requires = "config")]
    pub server_type: Option<String>,
    /// Enable (true) or disable (false) the server
    #[arg(long, value_name = "BOOL", action = clap::ArgAction::Set)]
    pub enabled: Option<bool>,
    /// Make the server global or not (admins only)
    #[arg(long, value_name = "BOOL", action = clap::ArgAction::Set)]
    pub global: Option<bool>,
    #[command(flatten)]
    pub check: UpdateCheckArgs,
}

#[derive(Debug, Args)]
pub(crate) struct HealthCheckArgs {
    /// Server id or name
    #[arg(
        value_name = "ID|NAME",
        required_unless_present = "all",
        conflicts_with = "all",
        add = names::server_names()
    )]
    pub server: Option<String>,
    /// Check every enabled server you can see, concurrently
    #[arg(long)]
    pub all: bool,
    /// With --all, check disabled servers too
    #[arg(long, requires = "all")]
    pub include_disabled: bool,
    /// With --all, how many checks run at once (each may start a process on the server)
    #[arg(long, requires = "all", value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Seconds each check may take to start and for each request, instead of the server's own limits
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: Option<u64>,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The config file, or - for stdin
    #[arg(value_name = "FILE|-", required_unless_present = "from")]
    pub file: Option<String>,
    /// Replace servers that already exist with the same name
    #[arg(long = "override")]
    pub override_existing: bool,
    /// The file's format (detected when absent), e.g. claude-desktop, vscode
    #[arg(long, value_name = "FORMAT", conflicts_with = "from")]
    pub format: Option<String>,
    /// Read the client's own config files instead of FILE: every scope it
    /// has for this project (what the client itself runs here), or --scope's
    #[arg(long, value_name = "CLIENT", value_parser = client_parser(), conflicts_with = "file")]
    pub from: Option<Format>,
    #[command(flatten)]
    pub place: PlaceArgs,
}

/// Which of a client's files.
#[derive(Debug, Args)]
pub(crate) struct PlaceArgs {
    /// The client's user-wide file, a project's shared one, or the user's
    /// private settings for a project
    #[arg(long, value_name = "SCOPE", value_parser = scope_parser())]
    pub scope: Option<Scope>,
    /// The project of the project and local scopes [default: the current directory]
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// The client whose file to write
    #[arg(long, value_name = "CLIENT", value_parser = client_parser())]
    pub client: Format,
    #[command(flatten)]
    pub place: PlaceArgs,
    /// Write this file instead of the client's default one for the scope
    #[arg(long, value_name = "FILE")]
    pub path: Option<PathBuf>,
    /// Show the change as a unified diff (secrets masked) and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Remove entries an earlier sync wrote whose servers are gone (never your own entries)
    #[arg(long)]
    pub prune: bool,
    /// Overwrite or prune entries sync did not write or that were edited by hand
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub select: SelectArgs,
    /// Write your secret values, or references to environment variables that
    /// the client expands [default: env for the project scope, else inline]
    #[arg(long, value_enum, value_name = "MODE")]
    pub secrets: Option<Secrets>,
}

#[derive(Debug, Args)]
pub(crate) struct ClientsArgs {
    /// The project whose project and local files to look at [default: the current directory]
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
}

/// `--client`: the clients sync can write, with their aliases.
fn client_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    let values = Format::clients().map(|f| {
        let d = f.descriptor();
        PossibleValue::new(d.name).aliases(d.aliases.iter().copied())
    });
    PossibleValuesParser::new(values).try_map(|s| s.parse::<Format>())
}

fn scope_parser() -> impl clap::builder::TypedValueParser<Value = Scope> {
    PossibleValuesParser::new([Scope::User, Scope::Project, Scope::Local].map(Scope::as_str))
        .try_map(|s| s.parse::<Scope>())
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The client format to write (default: the server's, claude-desktop)
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    #[command(flatten)]
    pub select: SelectArgs,
}

/// Which servers an export or a sync takes.
#[derive(Debug, Args)]
pub(crate) struct SelectArgs {
    /// Only these servers (comma-separated names)
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub servers: Vec<String>,
    /// Leave out global servers
    #[arg(long)]
    pub no_global: bool,
    /// Leave out servers whose tools changed since they were approved, or
    /// were never approved (see `mcp tools diff`)
    #[arg(long)]
    pub approved_only: bool,
}

impl SelectArgs {
    pub(crate) fn selection(&self) -> crate::client::ExportSelection {
        crate::client::ExportSelection {
            include_global: !self.no_global,
            servers: self.servers.clone(),
            approved_only: self.approved_only,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct TemplatesArgs {
    /// Show only this template
    #[arg(long)]
    pub name: Option<String>,
    /// Create a server from the template given by --name
    #[arg(long, requires = "name")]
    pub create: bool,
    /// The new server's name with --create (default: the template's name)
    #[arg(long, value_name = "NAME", requires = "create")]
    pub server_name: Option<String>,
    /// Env var KEY=VALUE for --create; repeatable
    #[arg(long = "env", value_name = "KEY=VALUE", requires = "create")]
    pub env: Vec<String>,
    /// A required argument of the template for --create, in order; repeatable
    #[arg(
        long = "arg",
        value_name = "VALUE",
        requires = "create",
        allow_hyphen_values = true
    )]
    pub arg: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn grammar_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn update_takes_the_spec_flags() {
        let cli = Cli::try_parse_from([
            "ai-agent",
            "mcp",
            "update",
            "server-uuid",
            "--config",
            "{}",
            "--enabled",
            "false",
        ])
        .expect("parses");
        let Command::Mcp(McpCommand::Update(u)) = cli.command else {
            panic!("update")
        };
        assert_eq!(u.edit.config.as_deref(), Some("{}"));
        assert_eq!(u.enabled, Some(false));
    }
}
