//! The commands: each group in its own module, all sharing one [`Ctx`] that
//! knows how to reach the server and how to print.

mod add;
mod audit;
mod auth;
mod create;
mod health;
pub mod meta;
mod servers;
mod suggest;
mod sync;
mod templates;
mod tools;
mod transfer;
mod update;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, GlobalOpts, McpCommand};
use crate::client::Client;
use crate::config::{self, Connection};
use crate::exit::{CliError, CliResult, Code};
use crate::output::Output;

/// Runs the CLI as the `ai-agent` binary does and returns its exit code.
pub fn run() -> ExitCode {
    // `COMPLETE=bash ai-agent` prints the dynamic completion script, and
    // the shell calls back here with it set; otherwise this returns.
    clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command)
        .bin("ai-agent")
        .complete();
    // On bad usage clap prints its message and exits with 2.
    let cli = Cli::parse();
    let ctx = Ctx {
        out: Output::new(cli.global.output),
        global: cli.global,
    };
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::generic(format!("cannot start the async runtime: {e}")))
        .and_then(|rt| rt.block_on(dispatch(&ctx, cli.command)));
    match result {
        Ok(code) => code.into(),
        Err(e) => {
            eprintln!("{e}");
            e.code.into()
        }
    }
}

/// What every command needs: the global options and the output style.
#[derive(Debug)]
pub struct Ctx {
    pub global: GlobalOpts,
    pub out: Output,
}

impl Ctx {
    pub(crate) fn config_path(&self) -> CliResult<std::path::PathBuf> {
        config::config_path(self.global.cli_settings.as_deref())
    }

    /// The server and token to use, by precedence flag > env > file > default.
    pub fn connection(&self) -> CliResult<Connection> {
        let stored = config::load(&self.config_path()?)?;
        Ok(config::resolve(
            self.global.api_url.as_deref(),
            self.global.token.as_deref(),
            &stored,
        ))
    }

    pub(crate) fn client(&self) -> CliResult<Client> {
        let c = self.connection()?;
        Ok(Client::new(&c.api_url, c.token)?)
    }
}

async fn dispatch(ctx: &Ctx, command: Command) -> CliResult {
    match command {
        Command::Mcp(cmd) => mcp(ctx, cmd).await,
        Command::Login { with_token } => auth::login(ctx, with_token).await,
        Command::Logout => auth::logout(ctx),
        Command::Whoami => auth::whoami(ctx).await,
        Command::Audit(a) => audit::audit(ctx, &a).await,
        Command::Completions { shell } => meta::completions(shell),
        Command::Man { command, list } => meta::man(&command, list),
    }
}

async fn mcp(ctx: &Ctx, cmd: McpCommand) -> CliResult {
    match cmd {
        McpCommand::List(a) => servers::list(ctx, &a).await,
        McpCommand::Create(a) => create::create(ctx, &a).await,
        McpCommand::Add(a) => add::add(ctx, &a).await,
        McpCommand::AddJson(a) => add::add_json(ctx, &a).await,
        McpCommand::Get(a) => servers::get(ctx, &a).await,
        McpCommand::Update(a) => update::update(ctx, &a).await,
        McpCommand::Delete(a) => servers::delete(ctx, &a).await,
        McpCommand::HealthCheck(a) => health::check(ctx, &a).await,
        McpCommand::Tools(a) => tools::tools(ctx, &a).await,
        McpCommand::Import(a) => transfer::import(ctx, &a).await,
        McpCommand::Export(a) => transfer::export(ctx, &a).await,
        McpCommand::Sync(a) => sync::sync(ctx, &a).await,
        McpCommand::Clients(a) => sync::clients(ctx, &a).await,
        McpCommand::Templates(a) => templates::templates(ctx, &a).await,
    }
}

/// Success, for commands that have nothing more to say.
fn ok() -> CliResult {
    Ok(Code::Success)
}
