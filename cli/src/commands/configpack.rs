//! `ipc config-pack decode|encode`.

use crate::args::PackCommand;
use crate::fail::{CliResult, Failure};
use crate::input;

pub fn run(cmd: PackCommand) -> CliResult {
    match cmd {
        PackCommand::Decode { show_secrets } => {
            let text = input::stdin_text("pack")?;
            let pack = ipc::ConfigPack::decode(&text)
                .map_err(|e| Failure::malformed(format!("pack on stdin: {e}")))?;
            input::print_line(&pack.to_json(show_secrets))
        }
        PackCommand::Encode {
            sid,
            wallet,
            key_index,
            key,
            cert,
            appid,
            pid,
        } => {
            if key_index == 0 {
                return Err(Failure::usage("--key-index must be a positive integer"));
            }
            // Both must parse: a pack with a broken key is worse than no pack.
            let key_pem = input::pem_file(&key)?;
            ipc::PrivateKey::from_pem(&key_pem)
                .map_err(|e| Failure::malformed(format!("{}: {e}", key.display())))?;
            let cert_pem = input::pem_file(&cert)?;
            ipc::PublicKey::from_pem(&cert_pem)
                .map_err(|e| Failure::malformed(format!("{}: {e}", cert.display())))?;
            let mut pack =
                ipc::ConfigPack::new(sid, wallet, key_index, Some(key_pem), Some(cert_pem));
            pack.application_id = appid;
            pack.partner_id = pid;
            input::print_line(&pack.encode())
        }
    }
}
