//! The one dispatcher of `cargo xtask`: every command is parsed here, prints its own usage on
//! `-h`/`--help` (exit 0) and on bad arguments (exit 2), and runs.

use std::path::Path;
use std::process::ExitCode;

use crate::{api_diff, bench, semver_compare, soak, surface_baseline, sweep};

/// `cargo xtask emulator`'s usage (the options are the emulator binary's).
pub const EMULATOR_USAGE: &str = "usage: cargo xtask emulator [--port P] [--url-validity SECONDS]

Runs the local service emulator (package connectparticipant-emulator, built on demand) on
127.0.0.1 with a person playing the agent; it prints a participant token for the chat example.";

/// A parsed command line.
#[derive(Debug, Clone)]
pub enum Command {
    /// Print this usage text and succeed.
    Help(String),
    Regenerate(crate::Args),
    ApiDiff(api_diff::ApiDiffArgs),
    SemverCompare(semver_compare::SemverCompareArgs),
    Sweep(sweep::SweepArgs),
    Emulator(Vec<String>),
    Bench(bench::BenchArgs),
    Soak(soak::SoakArgs),
    /// A git revision and the crate whose record gets its hand-written surface.
    SurfaceBaseline(String, crate::Args),
}

/// Bad arguments: the message and the usage of the command they were for.
#[derive(Debug, Clone)]
pub struct UsageError {
    pub message: String,
    pub usage: String,
}

/// Every command's usage, one after the other: what `cargo xtask --help` prints.
pub fn usage() -> String {
    [
        crate::USAGE,
        api_diff::USAGE,
        semver_compare::USAGE,
        surface_baseline::USAGE,
        sweep::USAGE,
        EMULATOR_USAGE,
        bench::USAGE,
        soak::USAGE,
    ]
    .join("\n\n")
}

/// Parses the arguments after `cargo xtask`.
pub fn parse(root: &Path, args: impl IntoIterator<Item = String>) -> Result<Command, UsageError> {
    let mut args = args.into_iter().peekable();
    let name = args.next();
    fn fail(usage: &'static str) -> impl Fn(String) -> UsageError {
        move |message| UsageError { message, usage: usage.to_owned() }
    }
    let help = |usage: &str| Command::Help(usage.to_owned());
    match name.as_deref() {
        None | Some("-h" | "--help" | "help") => Ok(Command::Help(usage())),
        Some("regenerate") => {
            let all = std::iter::once("regenerate".to_owned()).chain(args);
            Ok(crate::parse_args(root, all)
                .map_err(fail(crate::USAGE))?
                .map_or(help(crate::USAGE), Command::Regenerate))
        }
        Some("api-diff") => Ok(api_diff::parse_args(root, args)
            .map_err(fail(api_diff::USAGE))?
            .map_or(help(api_diff::USAGE), Command::ApiDiff)),
        Some("semver-compare") => Ok(semver_compare::parse_args(root, args)
            .map_err(fail(semver_compare::USAGE))?
            .map_or(help(semver_compare::USAGE), Command::SemverCompare)),
        Some("surface-baseline") => Ok(surface_baseline::parse_args(root, args)
            .map_err(fail(surface_baseline::USAGE))?
            .map_or(help(surface_baseline::USAGE), |(rev, args)| Command::SurfaceBaseline(rev, args))),
        Some("sweep") => {
            Ok(sweep::parse_args(root, args).map_err(fail(sweep::USAGE))?.map_or(help(sweep::USAGE), Command::Sweep))
        }
        Some("bench") => {
            Ok(bench::parse_args(root, args).map_err(fail(bench::USAGE))?.map_or(help(bench::USAGE), Command::Bench))
        }
        Some("soak") => Ok(soak::parse_args(args).map_err(fail(soak::USAGE))?.map_or(help(soak::USAGE), Command::Soak)),
        Some("emulator") => {
            let rest: Vec<String> = args.collect();
            // The emulator binary treats `--help` as a bad argument; the task answers it.
            if rest.iter().any(|a| a == "-h" || a == "--help") {
                Ok(help(EMULATOR_USAGE))
            } else {
                Ok(Command::Emulator(rest))
            }
        }
        Some(other) => Err(UsageError { message: format!("unknown task {other:?}"), usage: usage() }),
    }
}

/// Runs a parsed command.
pub fn run(root: &Path, command: Command) -> ExitCode {
    let result = match command {
        Command::Help(text) => {
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Regenerate(args) => crate::regenerate(&args),
        Command::ApiDiff(args) => api_diff::run(&args),
        Command::SemverCompare(args) => semver_compare::run(root, &args),
        Command::Sweep(args) => sweep::run(root, &args),
        Command::Emulator(args) => crate::emulator(args.into_iter()),
        Command::Bench(args) => bench::run(root, &args).map(|()| ExitCode::SUCCESS),
        Command::Soak(args) => soak::run(root, &args),
        Command::SurfaceBaseline(rev, args) => surface_baseline::run(root, &rev, &args),
    };
    result.unwrap_or_else(|message| {
        eprintln!("error: {message}");
        ExitCode::FAILURE
    })
}

/// The whole `cargo xtask` program: parse, then run (or print usage).
pub fn main(root: &Path, args: impl IntoIterator<Item = String>) -> ExitCode {
    match parse(root, args) {
        Ok(command) => run(root, command),
        Err(error) => {
            eprintln!("error: {}\n\n{}", error.message, error.usage);
            ExitCode::from(2)
        }
    }
}
