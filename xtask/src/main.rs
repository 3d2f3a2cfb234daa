//! `cargo xtask ...`: see the library for the tasks.

use std::process::ExitCode;

use xtask::{USAGE, parse_args, regenerate, workspace_root};

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("bench") {
        return xtask::bench::main(&workspace_root(), std::env::args().skip(2));
    }
    let args = match parse_args(&workspace_root(), std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match regenerate(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
