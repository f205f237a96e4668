//! What myPOS does in the background and the faults tests inject (issue 15):
//!
//! - **Rollback retries.** A rollback the merchant did not answer `200 OK` is queued and sent
//!   again on the schedule of `--rollback-retry` (seconds after the previous try), like the
//!   cron queue of myPOS's transaction log ("Adding request in TODO table (cron)", "Trying to
//!   send reversal notify (cron)"). After the last try it is abandoned (event
//!   `rollback_abandoned`). `POST /sandbox/cron` sends every queued rollback now.
//! - **Faults** (`POST /sandbox/faults`): hold the next rollback(s) for the cron instead of
//!   sending them at once (a late rollback), and delay or drop the answer of the next
//!   refund(s) after the refund was made (a timeout, a lost answer), and drop the answer of
//!   the next token charge(s) after the charge was made.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ipc::Fields;
use serde_json::{json, Value};

use super::notify::{self, Delivery};
use super::shared::Shared;

/// How often the background loop looks at the queue.
const TICK: Duration = Duration::from_millis(100);
/// Longest injected refund delay.
pub const MAX_DELAY_MS: u64 = 60_000;
/// Most faults armed at once (`times`).
pub const MAX_TIMES: u32 = 1000;

/// A rollback waiting for its next try.
#[derive(Debug, Clone)]
pub struct PendingRollback {
    pub order_id: String,
    pub url: String,
    /// The signed IPCPurchaseRollback.
    pub fields: Fields,
    /// Tries made so far (0 when it was held and never sent).
    pub tries: u32,
    pub due: Instant,
}

/// What happens to the next refund answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundFault {
    /// Made, but answered after this delay.
    Delay(Duration),
    /// Made, but the answer is lost: an empty HTTP 504, as from a proxy that gave up.
    Drop,
}

/// Faults armed by `POST /sandbox/faults`.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    pub refund: Option<RefundFault>,
    pub refund_times: u32,
    pub rollback_hold: u32,
    /// Answers of IPCIAPurchaseWithToken to lose after the charge was made.
    pub charge_drop: u32,
}

impl Faults {
    pub fn to_json(&self) -> Value {
        let refund = match self.refund {
            Some(RefundFault::Delay(d)) if self.refund_times > 0 => {
                json!({"kind": "delay", "delay_ms": d.as_millis() as u64, "times": self.refund_times})
            }
            Some(RefundFault::Drop) if self.refund_times > 0 => {
                json!({"kind": "drop", "times": self.refund_times})
            }
            _ => Value::Null,
        };
        json!({"refund": refund, "rollback_hold": self.rollback_hold, "charge_drop": self.charge_drop})
    }

    /// Consumes one armed charge fault: whether this charge's answer is lost.
    pub fn take_charge_drop(&mut self) -> bool {
        let armed = self.charge_drop > 0;
        self.charge_drop = self.charge_drop.saturating_sub(1);
        armed
    }

    /// Consumes one armed refund fault.
    pub fn take_refund(&mut self) -> Option<RefundFault> {
        if self.refund_times == 0 {
            return None;
        }
        self.refund_times -= 1;
        let fault = self.refund;
        if self.refund_times == 0 {
            self.refund = None;
        }
        fault
    }
}

/// Applies `POST /sandbox/faults` (urlencoded `refund=delay|drop|none`, `delay_ms`,
/// `rollback=hold|none`, `charge=drop|none`, `times`). Returns the faults now armed, or why the form is wrong.
pub fn set_faults(body: &[u8], shared: &Shared) -> Result<Value, String> {
    let form = ipc::parse_urlencoded(body).map_err(|e| format!("form: {e}"))?;
    for (name, _) in form.iter() {
        if !matches!(
            name,
            "refund" | "delay_ms" | "rollback" | "charge" | "times"
        ) {
            return Err(format!(
                "unknown field '{}'",
                name.chars().take(20).collect::<String>()
            ));
        }
    }
    let times = match form.get("times") {
        None => 1,
        Some(t) => t
            .parse::<u32>()
            .ok()
            .filter(|t| (1..=MAX_TIMES).contains(t))
            .ok_or_else(|| format!("times must be 1 to {MAX_TIMES}"))?,
    };
    let refund = match form.get("refund") {
        None => None,
        Some("none") => Some(None),
        Some("drop") => Some(Some(RefundFault::Drop)),
        Some("delay") => {
            let ms = form
                .get("delay_ms")
                .and_then(|d| d.parse::<u64>().ok())
                .filter(|d| (1..=MAX_DELAY_MS).contains(d))
                .ok_or_else(|| format!("refund=delay needs delay_ms from 1 to {MAX_DELAY_MS}"))?;
            Some(Some(RefundFault::Delay(Duration::from_millis(ms))))
        }
        Some(_) => return Err("refund must be delay, drop or none".into()),
    };
    let hold = match form.get("rollback") {
        None => None,
        Some("none") => Some(0),
        Some("hold") => Some(times),
        Some(_) => return Err("rollback must be hold or none".into()),
    };
    let charge = match form.get("charge") {
        None => None,
        Some("none") => Some(0),
        Some("drop") => Some(times),
        Some(_) => return Err("charge must be drop or none".into()),
    };
    if refund.is_none() && hold.is_none() && charge.is_none() {
        return Err("nothing to set: give refund=, rollback= or charge=".into());
    }
    let mut state = shared.lock();
    if let Some(r) = refund {
        state.faults.refund = r;
        state.faults.refund_times = if r.is_some() { times } else { 0 };
    }
    if let Some(h) = hold {
        state.faults.rollback_hold = h;
    }
    if let Some(c) = charge {
        state.faults.charge_drop = c;
    }
    let now = state.faults.to_json();
    state.events.push("faults", &[("faults", &now.to_string())]);
    Ok(now)
}

fn accepted_text(d: &Delivery) -> &'static str {
    if d.accepted() {
        "true"
    } else {
        "false"
    }
}

/// Sends a new rollback, or holds it for the cron when a hold fault is armed. Failed
/// deliveries are queued for the retries.
pub fn send_rollback(order_id: &str, url: &str, fields: Fields, shared: &Shared) {
    let held = {
        let mut state = shared.lock();
        if state.faults.rollback_hold > 0 {
            state.faults.rollback_hold -= 1;
            let due = Instant::now() + first_delay(shared);
            state.rollbacks.push(PendingRollback {
                order_id: order_id.to_string(),
                url: url.to_string(),
                fields: fields.clone(),
                tries: 0,
                due,
            });
            if let Some(order) = state.orders.get_mut(order_id) {
                order.log("rollback notify", "held for the cron (fault)");
            }
            state
                .events
                .push("rollback_held", &[("order_id", order_id)]);
            true
        } else {
            false
        }
    };
    if held {
        return;
    }
    let delivery = notify::post(url, &fields);
    record(
        PendingRollback {
            order_id: order_id.to_string(),
            url: url.to_string(),
            fields,
            tries: 0,
            due: Instant::now(),
        },
        &delivery,
        "rollback",
        shared,
    );
}

fn first_delay(shared: &Shared) -> Duration {
    shared
        .rollback_schedule
        .first()
        .copied()
        .unwrap_or(Duration::from_secs(60))
}

/// Records a delivery; queues the next try when it failed and the schedule allows one.
fn record(
    mut pending: PendingRollback,
    delivery: &Delivery,
    event: &str,
    shared: &Shared,
) -> Value {
    pending.tries += 1;
    let accepted = delivery.accepted();
    let tries = pending.tries.to_string();
    let mut state = shared.lock();
    state.events.push(
        event,
        &[
            ("order_id", pending.order_id.as_str()),
            ("answer", delivery.describe().as_str()),
            ("accepted", accepted_text(delivery)),
            ("try", tries.as_str()),
        ],
    );
    if let Some(order) = state.orders.get_mut(&pending.order_id) {
        let action = if event == "rollback" {
            "rollback notify"
        } else {
            "rollback notify (cron)"
        };
        order.log(action, &delivery.describe());
    }
    let result = json!({
        "order_id": pending.order_id,
        "answer": delivery.describe(),
        "accepted": accepted,
        "try": pending.tries,
    });
    if !accepted {
        // tries counts the first send: the retry after it waits schedule[0], and so on.
        match shared
            .rollback_schedule
            .get(pending.tries as usize - 1)
            .copied()
        {
            Some(wait) => {
                pending.due = Instant::now() + wait;
                let order_id = pending.order_id.clone();
                state.rollbacks.push(pending);
                state.events.push(
                    "rollback_queued",
                    &[
                        ("order_id", &order_id),
                        ("retry_in_ms", &wait.as_millis().to_string()),
                    ],
                );
            }
            None => {
                state.events.push(
                    "rollback_abandoned",
                    &[("order_id", &pending.order_id), ("tries", &tries)],
                );
            }
        }
    }
    result
}

/// Sends the queued rollbacks that are due (all of them with `all`), one by one, outside the
/// lock. Returns what each delivery gave.
pub fn run_due(shared: &Shared, all: bool) -> Vec<Value> {
    let now = Instant::now();
    let due: Vec<PendingRollback> = {
        let mut state = shared.lock();
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut state.rollbacks)
            .into_iter()
            .partition(|p| all || p.due <= now);
        state.rollbacks = later;
        due
    };
    due.into_iter()
        .map(|p| {
            let delivery = notify::post(&p.url, &p.fields);
            record(p, &delivery, "rollback_retry", shared)
        })
        .collect()
}

/// The background loop: sends due rollbacks until `stop` is set.
pub fn run(shared: &Shared, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(TICK);
        if !shared.lock().rollbacks.is_empty() {
            run_due(shared, false);
        }
    }
}
