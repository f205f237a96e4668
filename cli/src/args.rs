//! Command-line arguments (clap derive). Usage errors exit 64 (see `main.rs`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// myPOS IPC (Checkout API) tool: sign, verify, explain, config packs, keys, local sandbox.
#[derive(Debug, Parser)]
#[command(name = "ipc", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign a urlencoded body read on stdin; prints it with `&Signature=...` appended.
    Sign {
        /// Merchant private key (PEM).
        #[arg(long, value_name = "KEY.pem")]
        key: PathBuf,
    },
    /// Verify a signed urlencoded body read on stdin; prints its fields as JSON.
    Verify {
        /// Sender's certificate or SPKI public key (PEM). Repeatable: any of them verifies
        /// (key rotation), and with more than one the one that matched is named on stderr.
        #[arg(long, value_name = "CERT.pem", required = true)]
        cert: Vec<PathBuf>,
    },
    /// Verify a signed API answer (JSON or XML) read on stdin; prints it as JSON.
    VerifyResponse {
        /// myPOS certificate or SPKI public key (PEM). Repeatable, as for `verify`.
        #[arg(long, value_name = "CERT.pem", required = true)]
        cert: Vec<PathBuf>,
        /// Answer format (detected when not given).
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Show every step of a body's signature check and the usual causes of failure.
    Explain(ExplainArgs),
    /// Decode or encode a configuration pack.
    #[command(subcommand)]
    ConfigPack(PackCommand),
    /// Generate a merchant key pair and a self-signed certificate for myPOS.
    Keygen {
        /// Key size in bits.
        #[arg(long, default_value_t = 2048)]
        bits: usize,
        /// Output directory.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Run a local myPOS sandbox on 127.0.0.1.
    Sandbox(SandboxArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Xml,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct KeySource {
    /// Sender's certificate or SPKI public key (PEM).
    #[arg(long, value_name = "CERT.pem")]
    pub cert: Option<PathBuf>,
    /// A private key whose public half is used.
    #[arg(long, value_name = "KEY.pem")]
    pub key: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub source: KeySource,
}

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Decode a pack read on stdin and print its JSON (`pk` redacted).
    Decode {
        /// Show the private key instead of `[redacted]`.
        #[arg(long)]
        show_secrets: bool,
    },
    /// Build a pack from its parts.
    Encode {
        /// Store ID.
        #[arg(long)]
        sid: String,
        /// Wallet (client) number.
        #[arg(long)]
        wallet: String,
        /// KeyIndex of the merchant certificate.
        #[arg(long)]
        key_index: u32,
        /// Merchant private key PEM (pack `pk`).
        #[arg(long, value_name = "KEY.pem")]
        key: PathBuf,
        /// myPOS certificate PEM (pack `pc`).
        #[arg(long, value_name = "CERT.pem")]
        cert: PathBuf,
        /// Partner ApplicationID.
        #[arg(long)]
        appid: Option<String>,
        /// PartnerID.
        #[arg(long)]
        pid: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on (127.0.0.1 only; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: String,
    /// Store ID the sandbox accepts.
    #[arg(long)]
    pub sid: String,
    /// Wallet number the sandbox accepts.
    #[arg(long)]
    pub wallet: String,
    /// A merchant certificate and its KeyIndex, as INDEX=CERT.pem (repeatable).
    #[arg(long = "merchant-cert", value_name = "INDEX=CERT.pem", required = true)]
    pub merchant_certs: Vec<String>,
    /// The sandbox's own (myPOS) private key; generated when absent.
    #[arg(long, value_name = "KEY.pem")]
    pub mypos_key: Option<PathBuf>,
    /// Where the myPOS certificate is (with --mypos-key) or is written (without it).
    #[arg(long, value_name = "CERT.pem")]
    pub mypos_cert: Option<PathBuf>,
    /// Seconds between tries of a rollback the merchant did not answer OK (myPOS's cron),
    /// comma-separated; decimals allowed; "none" sends each rollback once.
    #[arg(long, value_name = "SECONDS,...", default_value = "60,300,900,3600")]
    pub rollback_retry: String,
}
