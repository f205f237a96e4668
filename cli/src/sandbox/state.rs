//! What the sandbox remembers: orders, payment sessions, card tokens and the event log.

use std::collections::HashMap;

use ipc::{Fields, Money};

use super::clock;
use super::cron::{Faults, PendingRollback};
use super::events::Events;

/// Most open sessions and orders kept (a sandbox, not a bank).
pub const MAX_ENTRIES: usize = 10_000;

/// Payment state of an order (IPCGetPaymentStatus: 1 paid, 2 pending, 3 failed, 4 reversed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payment {
    Pending,
    Paid,
    Failed,
    Reversed,
}

impl Payment {
    pub fn code(self) -> &'static str {
        match self {
            Payment::Paid => "1",
            Payment::Pending => "2",
            Payment::Failed => "3",
            Payment::Reversed => "4",
        }
    }
}

/// Pre-authorization state (IPCPreAuthStatus: 1 pending, 3 captured, 5 reversed, 6 cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreAuth {
    Authorized,
    Captured,
    Reversed,
    Cancelled,
}

impl PreAuth {
    pub fn code(self) -> &'static str {
        match self {
            PreAuth::Authorized => "1",
            PreAuth::Captured => "3",
            PreAuth::Reversed => "5",
            PreAuth::Cancelled => "6",
        }
    }
}

/// One order as myPOS sees it.
#[derive(Debug, Clone)]
pub struct Order {
    pub amount: Money,
    pub payment: Payment,
    pub trnref: Option<String>,
    pub refunded: i64,
    pub preauth: Option<PreAuth>,
    /// When the pre-authorization expires (seconds since the epoch); after it, it cannot be
    /// captured and IPCPreAuthStatus reports it released.
    pub preauth_expires: u64,
    pub captured: i64,
    pub paid_at: String,
    /// A notify for this order is on its way (a second payment must wait).
    pub paying: bool,
    /// The last signed message sent to the merchant (Signature included).
    pub last_message: Option<Fields>,
    /// Transaction log.
    pub log: Vec<LogEntry>,
}

/// One IPCGetTxnLog item: time, action, result, then extra values (a refund's IPC_Trnref,
/// Amount and Currency).
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub time: String,
    pub action: String,
    pub result: String,
    pub extra: Vec<(&'static str, String)>,
}

/// How long a new pre-authorization holds the amount.
pub const PREAUTH_DAYS: u64 = 30;

impl Order {
    /// An open pre-authorization whose expiry has passed.
    pub fn preauth_expired(&self) -> bool {
        self.preauth == Some(PreAuth::Authorized) && clock::now_secs() >= self.preauth_expires
    }

    pub fn new(amount: Money) -> Self {
        Order {
            amount,
            payment: Payment::Pending,
            trnref: None,
            refunded: 0,
            preauth: None,
            preauth_expires: 0,
            captured: 0,
            paid_at: String::new(),
            paying: false,
            last_message: None,
            log: Vec::new(),
        }
    }

    pub fn log(&mut self, action: &str, result: &str) {
        self.log_with(action, result, Vec::new());
    }

    pub fn log_with(&mut self, action: &str, result: &str, extra: Vec<(&'static str, String)>) {
        self.log.push(LogEntry {
            time: clock::now_text(),
            action: action.into(),
            result: result.into(),
            extra,
        });
    }
}

/// How a card token behaves when charged (chosen by the card typed on the payment page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// 4006 0900 0000 0007 (or no card typed): charges pay.
    Good,
    /// 4006 0900 0000 0015: charges are declined (not sufficient funds).
    Declines,
    /// 4006 0900 0000 0023: the card expired in January 2020.
    Expired,
}

impl TokenKind {
    /// The kind of token a card number typed on the payment page gives (spaces ignored), or
    /// `None` for a card the sandbox does not know (declined).
    pub fn from_card(card: &str) -> Option<Self> {
        let digits: String = card.chars().filter(|c| !c.is_whitespace()).collect();
        match digits.as_str() {
            "" | "4006090000000007" => Some(TokenKind::Good),
            "4006090000000015" => Some(TokenKind::Declines),
            "4006090000000023" => Some(TokenKind::Expired),
            _ => None,
        }
    }

    /// Last four digits (the notify's `PAN`).
    pub fn last4(self) -> &'static str {
        match self {
            TokenKind::Good => "0007",
            TokenKind::Declines => "0015",
            TokenKind::Expired => "0023",
        }
    }

    /// `ExpDate` (YYMM).
    pub fn exp_date(self) -> &'static str {
        match self {
            TokenKind::Expired => "2001",
            _ => "3012",
        }
    }
}

/// A stored card as myPOS knows it.
#[derive(Debug, Clone)]
pub struct CardToken {
    /// The OrderID whose payment page stored it.
    pub order_id: String,
    pub kind: TokenKind,
}

/// A 3-D Secure check of a stored card (IPCTDSProcess).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TdsStatus {
    /// The buyer has not answered the check yet.
    Pending,
    Authenticated,
    Failed,
    /// An IPCIAPurchaseWithToken used it (a reference pays once).
    Used,
}

/// One IPCTDSProcess: what it was for and how it ended.
#[derive(Debug, Clone)]
pub struct Tds {
    pub reference: String,
    pub token: String,
    pub amount: Money,
    pub return_url: String,
    pub sid: String,
    pub status: TdsStatus,
}

/// A hosted payment page in progress.
#[derive(Debug, Clone)]
pub struct Session {
    /// The verified request (without Signature).
    pub request: Fields,
    pub order_id: String,
    pub amount: Money,
    pub preauth: bool,
    pub declined: bool,
}

#[derive(Debug, Default)]
pub struct State {
    pub orders: HashMap<String, Order>,
    pub trnrefs: HashMap<String, String>,
    pub sessions: HashMap<String, Session>,
    pub tokens: HashMap<String, CardToken>,
    /// 3-D Secure checks by TDSReferenceID.
    pub tds: HashMap<String, Tds>,
    /// Open 3-D Secure pages: page session id to TDSReferenceID.
    pub tds_sessions: HashMap<String, String>,
    pub events: Events,
    /// Rollbacks waiting for a retry (or held by a fault).
    pub rollbacks: Vec<PendingRollback>,
    pub faults: Faults,
    counter: u64,
}

impl State {
    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// A fresh IPC_Trnref for `order_id`.
    pub fn new_trnref(&mut self, order_id: &str) -> String {
        let trnref = format!("{}", 500_000 + self.next());
        self.trnrefs.insert(trnref.clone(), order_id.to_string());
        trnref
    }

    /// A six-digit RequestSTAN.
    pub fn new_stan(&mut self) -> String {
        format!("{:06}", self.next() % 1_000_000)
    }

    /// A session id that cannot be guessed from the counter alone.
    pub fn new_session_id(&mut self) -> String {
        let n = self.next();
        format!("{:016x}{:08x}", random_u64(), n)
    }

    /// A card token of `kind`, stored by the payment page of `order_id`.
    pub fn new_card_token(&mut self, order_id: &str, kind: TokenKind) -> String {
        let token = format!("{:016X}{:04X}", random_u64(), self.next() & 0xffff);
        self.tokens.insert(
            token.clone(),
            CardToken {
                order_id: order_id.to_string(),
                kind,
            },
        );
        token
    }

    /// A TDSReferenceID that cannot be guessed.
    pub fn new_tds_reference(&mut self) -> String {
        let n = self.next();
        format!("TDS{:016X}{:06X}", random_u64(), n & 0xff_ffff)
    }

    pub fn has_room(&self) -> bool {
        self.orders.len() < MAX_ENTRIES
            && self.sessions.len() < MAX_ENTRIES
            && self.tds.len() < MAX_ENTRIES
    }
}

fn random_u64() -> u64 {
    use rand_core::RngCore;
    rand_core::OsRng.next_u64()
}
