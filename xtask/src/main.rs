//! `cargo xtask ...`: see the library for the tasks.

use std::process::ExitCode;

use xtask::{USAGE, emulator, parse_args, regenerate, sweep, workspace_root};

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("sweep") {
        return run_sweep();
    }
    if std::env::args().nth(1).as_deref() == Some("emulator") {
        return emulator(std::env::args().skip(2)).unwrap_or_else(|message| {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        });
    }
    if std::env::args().nth(1).as_deref() == Some("soak") {
        return xtask::soak::main(&workspace_root(), std::env::args().skip(2));
    }
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

/// `cargo xtask sweep [DIR] [--test]`.
fn run_sweep() -> ExitCode {
    let root = workspace_root();
    let args = match sweep::parse_args(&root, std::env::args().skip(2)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{}", sweep::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{}", sweep::USAGE);
            return ExitCode::from(2);
        }
    };
    match sweep::run(&root, &args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
