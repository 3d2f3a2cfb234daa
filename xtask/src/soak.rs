//! `cargo xtask soak [--hours N] [--seed S]`: the chat soak (`tests/chat_soak.rs`) for longer than
//! the simulated day `cargo test` runs, or with another seed (a random one when none is given,
//! printed so that a failure can be replayed).

use std::path::Path;
use std::process::ExitCode;

/// The usage text.
pub const USAGE: &str = "usage: cargo xtask soak [--hours N] [--seed S]   (the chat soak on the paused clock)";

/// What `cargo xtask soak` was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoakArgs {
    /// Simulated hours (at least 1).
    pub hours: u64,
    /// The schedule's seed; a random one (printed) when none is given.
    pub seed: Option<u64>,
}

/// Parses the arguments after `cargo xtask soak`; `None` for `--help`.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<SoakArgs>, String> {
    Ok(parse(args.into_iter())?.map(|(hours, seed)| SoakArgs { hours, seed }))
}

/// Runs the soak test binary with the settings from `args`.
pub fn run(root: &Path, args: &SoakArgs) -> Result<ExitCode, String> {
    // Any seed will do when none is given, and the clock gives one without a dependency.
    let seed = args.seed.unwrap_or_else(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        now.as_secs() ^ u64::from(now.subsec_nanos())
    });
    println!("soak: {} simulated hours, seed {seed}", args.hours);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .current_dir(root)
        .args(["test", "--quiet", "-p", "workspace-tests", "--test", "chat_soak", "--", "--nocapture"])
        .env("CHAT_SOAK_HOURS", args.hours.to_string())
        .env("CHAT_SOAK_SEED", seed.to_string())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `--hours N` (default 24, at least 1) and `--seed S`; `None` for `--help`.
fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<(u64, Option<u64>)>, String> {
    let (mut hours, mut seed) = (24, None);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| -> Result<u64, String> {
            let text = args.next().ok_or_else(|| format!("{name} needs a value"))?;
            text.parse().map_err(|_| format!("{name} takes a whole number, not {text:?}"))
        };
        match arg.as_str() {
            "--hours" => hours = value("--hours")?.max(1),
            "--seed" => seed = Some(value("--seed")?),
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some((hours, seed)))
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn args(text: &str) -> impl Iterator<Item = String> {
        text.split_whitespace().map(str::to_owned).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn reads_hours_and_seed() {
        assert_eq!(parse(args("")), Ok(Some((24, None))));
        assert_eq!(parse(args("--hours 72 --seed 9")), Ok(Some((72, Some(9)))));
        assert_eq!(parse(args("--help")), Ok(None));
        assert!(parse(args("--hours")).is_err());
        assert!(parse(args("--hours many")).is_err());
        assert!(parse(args("--days 2")).is_err());
    }
}
