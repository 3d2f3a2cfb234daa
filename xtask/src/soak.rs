//! `cargo xtask soak [--hours N] [--seed S]`: the chat soak (`tests/chat_soak.rs`) for longer than
//! the simulated day `cargo test` runs, or with another seed (a random one when none is given,
//! printed so that a failure can be replayed).

use std::path::Path;
use std::process::ExitCode;

/// The usage text.
pub const USAGE: &str = "usage: cargo xtask soak [--hours N] [--seed S]   (the chat soak on the paused clock)";

/// Runs the soak test binary with the settings from `args`.
pub fn main(root: &Path, args: impl Iterator<Item = String>) -> ExitCode {
    let (hours, seed) = match parse(args) {
        Ok(Some(settings)) => settings,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // Any seed will do when none is given, and the clock gives one without a dependency.
    let seed = seed.unwrap_or_else(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        now.as_secs() ^ u64::from(now.subsec_nanos())
    });
    println!("soak: {hours} simulated hours, seed {seed}");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .current_dir(root)
        .args(["test", "--quiet", "-p", "workspace-tests", "--test", "chat_soak", "--", "--nocapture"])
        .env("CHAT_SOAK_HOURS", hours.to_string())
        .env("CHAT_SOAK_SEED", seed.to_string())
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
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
