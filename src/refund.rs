//! Refund answers tied to their request (issue 15, item 5): a verified IPCRefund answer counts
//! as a confirmed refund only when it succeeded, carries an IPC_Trnref, and echoes the
//! request's amount and currency (and its OrderID, when it echoes one). Anything else leaves
//! the refund unconfirmed: the caller keeps it pending and asks myPOS (IPCGetTxnLog) later.

use std::fmt;

use crate::amount::{shorten, Currency, Money};
use crate::request::Refund;
use crate::response::Response;

/// Why a verified answer does not confirm the refund that was requested. Each kind has a stable
/// code ([`Self::code`]) and number ([`Self::number`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundProblem {
    /// myPOS answered with a Status other than 0: nothing was refunded.
    Refused {
        /// The Status.
        status: u32,
        /// StatusMsg.
        message: String,
    },
    /// The answer is for another method (IPCmethod present and not IPCRefund).
    WrongMethod {
        /// The method it names.
        method: String,
    },
    /// No (or an empty) IPC_Trnref.
    MissingTrnref,
    /// No Amount echoed.
    MissingAmount,
    /// No Currency echoed.
    MissingCurrency,
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

impl RefundProblem {
    /// The stable code, e.g. `amount_differs`.
    pub fn code(&self) -> &'static str {
        match self {
            RefundProblem::Refused { .. } => "refused",
            RefundProblem::WrongMethod { .. } => "wrong_method",
            RefundProblem::MissingTrnref => "missing_trnref",
            RefundProblem::MissingAmount => "missing_amount",
            RefundProblem::MissingCurrency => "missing_currency",
            RefundProblem::AmountDiffers { .. } => "amount_differs",
            RefundProblem::CurrencyDiffers { .. } => "currency_differs",
            RefundProblem::OrderIdDiffers { .. } => "order_id_differs",
        }
    }

    /// The stable number (0 is "confirmed" in the bindings): 1 to 8 in variant order.
    pub fn number(&self) -> u32 {
        match self {
            RefundProblem::Refused { .. } => 1,
            RefundProblem::WrongMethod { .. } => 2,
            RefundProblem::MissingTrnref => 3,
            RefundProblem::MissingAmount => 4,
            RefundProblem::MissingCurrency => 5,
            RefundProblem::AmountDiffers { .. } => 6,
            RefundProblem::CurrencyDiffers { .. } => 7,
            RefundProblem::OrderIdDiffers { .. } => 8,
        }
    }

    /// True when myPOS said no (nothing refunded); false when the answer is unusable and the
    /// refund's fate is unknown (keep it pending and ask myPOS).
    pub fn is_refusal(&self) -> bool {
        matches!(self, RefundProblem::Refused { .. })
    }
}

impl fmt::Display for RefundProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefundProblem::Refused { status, message } => write!(
                f,
                "myPOS refused the refund: Status {status} {}",
                shorten(message)
            ),
            RefundProblem::WrongMethod { method } => {
                write!(f, "the answer is for {}, not IPCRefund", shorten(method))
            }
            RefundProblem::MissingTrnref => f.write_str("the answer carries no IPC_Trnref"),
            RefundProblem::MissingAmount => f.write_str("the answer echoes no Amount"),
            RefundProblem::MissingCurrency => f.write_str("the answer echoes no Currency"),
            RefundProblem::AmountDiffers { echoed } => write!(
                f,
                "the answer echoes Amount '{}', not the requested amount",
                shorten(echoed)
            ),
            RefundProblem::CurrencyDiffers { echoed } => write!(
                f,
                "the answer echoes Currency '{}', not the requested currency",
                shorten(echoed)
            ),
            RefundProblem::OrderIdDiffers { echoed } => write!(
                f,
                "the answer echoes OrderID '{}', not the requested one",
                shorten(echoed)
            ),
        }
    }
}

impl std::error::Error for RefundProblem {}

/// A refund confirmed by a verified answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundConfirmation {
    /// IPC_Trnref from the answer.
    pub trnref: String,
    /// The refunded amount (equal to the request's).
    pub amount: Money,
}

/// Checks a verified IPCRefund answer against the refund requested for `order_id` and
/// `amount`. The order of the checks: Status, IPCmethod, IPC_Trnref, Currency, Amount, OrderID.
pub fn check_refund_answer(
    answer: &Response,
    order_id: &str,
    amount: Money,
) -> Result<RefundConfirmation, RefundProblem> {
    if !answer.status().is_success() {
        return Err(RefundProblem::Refused {
            status: answer.status().0,
            message: answer.status_msg().to_string(),
        });
    }
    let method = answer.method();
    if !method.is_empty() && method != "IPCRefund" {
        return Err(RefundProblem::WrongMethod {
            method: method.to_string(),
        });
    }
    let trnref = answer
        .get("IPC_Trnref")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(RefundProblem::MissingTrnref)?;
    let currency = answer
        .get("Currency")
        .ok_or(RefundProblem::MissingCurrency)?;
    if Currency::parse(currency).ok() != Some(amount.currency) {
        return Err(RefundProblem::CurrencyDiffers {
            echoed: currency.to_string(),
        });
    }
    let echoed = answer.get("Amount").ok_or(RefundProblem::MissingAmount)?;
    if Money::parse(echoed, amount.currency).ok() != Some(amount) {
        return Err(RefundProblem::AmountDiffers {
            echoed: echoed.to_string(),
        });
    }
    if let Some(id) = answer.get("OrderID") {
        if id != order_id {
            return Err(RefundProblem::OrderIdDiffers {
                echoed: id.to_string(),
            });
        }
    }
    Ok(RefundConfirmation {
        trnref: trnref.to_string(),
        amount,
    })
}

impl Refund {
    /// [`check_refund_answer`] for this request.
    pub fn check_answer(&self, answer: &Response) -> Result<RefundConfirmation, RefundProblem> {
        check_refund_answer(answer, &self.order_id, self.amount)
    }
}
