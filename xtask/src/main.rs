//! Repository chores, as Rust code: `cargo xtask <task>`.
//!
//! - `generate`: write the generated files (docs/openapi.json, shell
//!   completions, the man page).
//! - `check-generated`: fail if any generated file is stale (CI runs this).
//! - `bench`: measure the server and print figures (see docs/benchmarks.md).

mod bench;
mod generated;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Write docs/openapi.json, completions and the man page.
    Generate,
    /// Fail if a generated file differs from what `generate` would write.
    CheckGenerated,
    /// Run the benchmarks against a release build of the server.
    Bench(bench::Args),
}

fn main() -> Result<()> {
    match Cli::parse().task {
        Task::Generate => generated::write(),
        Task::CheckGenerated => generated::check(),
        Task::Bench(args) => bench::run(&args),
    }
}
