//! One module per subcommand.

mod configpack;
mod explain;
mod keygen;
mod sign;
mod verify;

use crate::args::Command;
use crate::fail::CliResult;

/// Runs a parsed command.
pub fn run(command: Command) -> CliResult {
    match command {
        Command::Sign { key } => sign::run(&key),
        Command::Verify { cert } => verify::form(&cert),
        Command::VerifyResponse { cert, format } => verify::response(&cert, format),
        Command::Explain(args) => explain::run(&args),
        Command::ConfigPack(cmd) => configpack::run(cmd),
        Command::Keygen { bits, out } => keygen::run(bits, &out),
        Command::Sandbox(args) => crate::sandbox::run(&args),
    }
}
