//! `cargo xtask ...`: see the library for the tasks, and [`xtask::cli`] for the dispatcher.

use std::process::ExitCode;

fn main() -> ExitCode {
    xtask::cli::main(&xtask::workspace_root(), std::env::args().skip(1))
}
