//! Pre-authorization answers tied to their request (issue 21): a verified
//! IPCPreAuthCompletion (capture) or IPCPreAuthCancellation (release) answer counts only when
//! it succeeded and echoes, where it echoes them, the request's Amount, Currency and OrderID.
//! myPOS's answers do not always echo the amount, so a missing echo is accepted; a different
//! one never is. The caller records nothing unless the answer is confirmed.

use std::fmt;

use crate::amount::{shorten, Currency, Money};
use crate::request::{PreAuthCancellation, PreAuthCompletion};
use crate::response::Response;

/// Why a verified answer does not confirm the capture or release that was requested. Each
/// kind has a stable code ([`Self::code`]) and number ([`Self::number`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureProblem {
    /// myPOS answered with a Status other than 0: nothing was captured or released.
    Refused {
        /// The Status.
        status: u32,
        /// StatusMsg.
        message: String,
    },
    /// The answer names another IPCmethod.
    WrongMethod {
        /// The method it names.
        method: String,
    },
    /// The echoed Amount is not the requested one (or not an amount).
    AmountDiffers {
        /// The echoed text.
        echoed: String,
    },
    /// The echoed Currency is not the requested one.
    CurrencyDiffers {
        /// The echoed text.
        echoed: String,
    },
    /// The answer echoes an OrderID that is not the request's.
    OrderIdDiffers {
        /// The echoed text.
        echoed: String,
    },
}

impl CaptureProblem {
    /// The stable code, e.g. `amount_differs`.
    pub fn code(&self) -> &'static str {
        match self {
            CaptureProblem::Refused { .. } => "refused",
            CaptureProblem::WrongMethod { .. } => "wrong_method",
            CaptureProblem::AmountDiffers { .. } => "amount_differs",
            CaptureProblem::CurrencyDiffers { .. } => "currency_differs",
            CaptureProblem::OrderIdDiffers { .. } => "order_id_differs",
        }
    }

    /// The stable number (0 is "confirmed" in the bindings): 1 to 5 in variant order.
    pub fn number(&self) -> u32 {
        match self {
            CaptureProblem::Refused { .. } => 1,
            CaptureProblem::WrongMethod { .. } => 2,
            CaptureProblem::AmountDiffers { .. } => 3,
            CaptureProblem::CurrencyDiffers { .. } => 4,
            CaptureProblem::OrderIdDiffers { .. } => 5,
        }
    }
}

impl fmt::Display for CaptureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaptureProblem::Refused { status, message } => {
                write!(f, "myPOS refused: Status {status} {}", shorten(message))
            }
            CaptureProblem::WrongMethod { method } => {
                write!(f, "the answer is for {}", shorten(method))
            }
            CaptureProblem::AmountDiffers { echoed } => write!(
                f,
                "the answer echoes Amount '{}', not the requested amount",
                shorten(echoed)
            ),
            CaptureProblem::CurrencyDiffers { echoed } => write!(
                f,
                "the answer echoes Currency '{}', not the requested currency",
                shorten(echoed)
            ),
            CaptureProblem::OrderIdDiffers { echoed } => write!(
                f,
                "the answer echoes OrderID '{}', not the requested one",
                shorten(echoed)
            ),
        }
    }
}

impl std::error::Error for CaptureProblem {}

/// A capture or release confirmed by a verified answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureConfirmation {
    /// IPC_Trnref from the answer, when it carries one.
    pub trnref: Option<String>,
    /// The requested amount.
    pub amount: Money,
}

fn check_answer(
    answer: &Response,
    method: &str,
    order_id: &str,
    amount: Money,
) -> Result<CaptureConfirmation, CaptureProblem> {
    if !answer.status().is_success() {
        return Err(CaptureProblem::Refused {
            status: answer.status().0,
            message: answer.status_msg().to_string(),
        });
    }
    let named = answer.method();
    if !named.is_empty() && named != method {
        return Err(CaptureProblem::WrongMethod {
            method: named.to_string(),
        });
    }
    if let Some(currency) = answer.get("Currency") {
        if Currency::parse(currency).ok() != Some(amount.currency) {
            return Err(CaptureProblem::CurrencyDiffers {
                echoed: currency.to_string(),
            });
        }
    }
    if let Some(echoed) = answer.get("Amount") {
        if Money::parse(echoed, amount.currency).ok() != Some(amount) {
            return Err(CaptureProblem::AmountDiffers {
                echoed: echoed.to_string(),
            });
        }
    }
    if let Some(id) = answer.get("OrderID") {
        if id != order_id {
            return Err(CaptureProblem::OrderIdDiffers {
                echoed: id.to_string(),
            });
        }
    }
    let trnref = answer
        .get("IPC_Trnref")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    Ok(CaptureConfirmation { trnref, amount })
}

/// Checks a verified IPCPreAuthCompletion answer against the capture requested for
/// `order_id` and `amount`. The order of the checks: Status, IPCmethod, Currency, Amount,
/// OrderID.
pub fn check_capture_answer(
    answer: &Response,
    order_id: &str,
    amount: Money,
) -> Result<CaptureConfirmation, CaptureProblem> {
    check_answer(answer, "IPCPreAuthCompletion", order_id, amount)
}

/// [`check_capture_answer`] for an IPCPreAuthCancellation answer (a release).
pub fn check_release_answer(
    answer: &Response,
    order_id: &str,
    amount: Money,
) -> Result<CaptureConfirmation, CaptureProblem> {
    check_answer(answer, "IPCPreAuthCancellation", order_id, amount)
}

impl PreAuthCompletion {
    /// [`check_capture_answer`] for this request.
    pub fn check_answer(&self, answer: &Response) -> Result<CaptureConfirmation, CaptureProblem> {
        check_capture_answer(answer, &self.order_id, self.amount)
    }
}

impl PreAuthCancellation {
    /// [`check_release_answer`] for this request.
    pub fn check_answer(&self, answer: &Response) -> Result<CaptureConfirmation, CaptureProblem> {
        check_release_answer(answer, &self.order_id, self.amount)
    }
}
