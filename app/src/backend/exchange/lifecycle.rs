//! The allowed status changes of cases and requests: the only place that knows them.

use crate::backend::exchange::rules;
use crate::model::{CaseStatus, RequestStatus, ResponseKind};

/// open → active → closed, reopen (closed → active), archive (closed → archived).
pub fn case_transitions(from: CaseStatus) -> &'static [CaseStatus] {
    use CaseStatus::*;
    match from {
        Open => &[Active, Closed],
        Active => &[Closed],
        Closed => &[Active, Archived],
        Archived => &[],
    }
}

/// A status change the lifecycle does not allow; the user is told which and why in its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("A case cannot go from {} to {}.", .from.label(), .to.label())]
    Case { from: CaseStatus, to: CaseStatus },
    #[error("A request that is {} cannot be {}.", .from.label().to_lowercase(), .event.done())]
    Request { from: RequestStatus, event: RequestEvent },
}

/// A refused change conflicts with the object's current state (409).
impl From<Refused> for crate::error::AppError {
    fn from(refused: Refused) -> Self {
        crate::error::AppError::Conflict(refused.to_string())
    }
}

pub fn check_case_transition(from: CaseStatus, to: CaseStatus) -> Result<(), Refused> {
    if case_transitions(from).contains(&to) {
        Ok(())
    } else {
        Err(Refused::Case { from, to })
    }
}

/// What someone does to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestEvent {
    Send { needs_approval: bool },
    Approve,
    Acknowledge,
    Respond(ResponseKind),
    Decline,
    Withdraw,
    Close,
}

impl RequestEvent {
    /// The event as a past participle: "a request that is closed cannot be *sent*".
    fn done(self) -> &'static str {
        match self {
            RequestEvent::Send { .. } => "sent",
            RequestEvent::Approve => "approved",
            RequestEvent::Acknowledge => "acknowledged",
            RequestEvent::Respond(_) => "answered",
            RequestEvent::Decline => "declined",
            RequestEvent::Withdraw => "withdrawn",
            RequestEvent::Close => "closed",
        }
    }
}

pub fn next_request_status(from: RequestStatus, event: RequestEvent, expects_answer: bool) -> Result<RequestStatus, Refused> {
    use RequestStatus::*;
    let open_for_work = rules::Open::holds(from);
    let next = match event {
        RequestEvent::Send { needs_approval: true } if from == Draft => Some(AwaitingApproval),
        RequestEvent::Send { needs_approval: false } if from == Draft => Some(Sent),
        RequestEvent::Approve if from == AwaitingApproval => Some(Sent),
        RequestEvent::Acknowledge if from == Sent => Some(Acknowledged),
        RequestEvent::Respond(kind) if open_for_work => Some(match kind {
            ResponseKind::FinalAnswer => Answered,
            ResponseKind::Refusal => Declined,
            // A partial answer or a clarification keeps the request being worked on.
            _ => InProgress,
        }),
        // The sender answers a clarification request, or corrects after an answer: status unchanged.
        RequestEvent::Respond(ResponseKind::Clarification) if from == Answered => Some(Answered),
        RequestEvent::Decline if open_for_work => Some(Declined),
        RequestEvent::Withdraw if rules::Unsent::holds(from) || open_for_work => Some(Withdrawn),
        RequestEvent::Close if from == Answered => Some(Closed),
        // A notification needs no answer: the sender closes it once it has been seen.
        RequestEvent::Close if !expects_answer && open_for_work => Some(Closed),
        _ => None,
    };
    next.ok_or(Refused::Request { from, event })
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;

    #[test]
    fn every_case_transition_allowed_or_refused() {
        let allowed = [(Open, Active), (Open, Closed), (Active, Closed), (Closed, Active), (Closed, Archived)];
        for from in CaseStatus::ALL {
            for to in CaseStatus::ALL {
                let expected = allowed.contains(&(*from, *to));
                assert_eq!(check_case_transition(*from, *to).is_ok(), expected, "{from:?} -> {to:?}");
            }
        }
        assert_eq!(check_case_transition(Archived, Open).unwrap_err().to_string(), "A case cannot go from Archived to Open.");
    }

    #[test]
    fn every_request_event_from_every_status() {
        use RequestStatus as S;
        let events = [
            RequestEvent::Send { needs_approval: false },
            RequestEvent::Send { needs_approval: true },
            RequestEvent::Approve,
            RequestEvent::Acknowledge,
            RequestEvent::Respond(ResponseKind::PartialAnswer),
            RequestEvent::Respond(ResponseKind::FinalAnswer),
            RequestEvent::Respond(ResponseKind::ClarificationRequest),
            RequestEvent::Respond(ResponseKind::Clarification),
            RequestEvent::Respond(ResponseKind::Refusal),
            RequestEvent::Decline,
            RequestEvent::Withdraw,
            RequestEvent::Close,
        ];
        // (from, event index, expected next) for every allowed pair; all others must be refused.
        let allowed: Vec<(S, usize, S)> = vec![
            (S::Draft, 0, S::Sent),
            (S::Draft, 1, S::AwaitingApproval),
            (S::AwaitingApproval, 2, S::Sent),
            (S::Sent, 3, S::Acknowledged),
            (S::Sent, 4, S::InProgress),
            (S::Acknowledged, 4, S::InProgress),
            (S::InProgress, 4, S::InProgress),
            (S::Sent, 5, S::Answered),
            (S::Acknowledged, 5, S::Answered),
            (S::InProgress, 5, S::Answered),
            (S::Sent, 6, S::InProgress),
            (S::Acknowledged, 6, S::InProgress),
            (S::InProgress, 6, S::InProgress),
            (S::Sent, 7, S::InProgress),
            (S::Acknowledged, 7, S::InProgress),
            (S::InProgress, 7, S::InProgress),
            (S::Answered, 7, S::Answered),
            (S::Sent, 8, S::Declined),
            (S::Acknowledged, 8, S::Declined),
            (S::InProgress, 8, S::Declined),
            (S::Sent, 9, S::Declined),
            (S::Acknowledged, 9, S::Declined),
            (S::InProgress, 9, S::Declined),
            (S::Draft, 10, S::Withdrawn),
            (S::AwaitingApproval, 10, S::Withdrawn),
            (S::Sent, 10, S::Withdrawn),
            (S::Acknowledged, 10, S::Withdrawn),
            (S::InProgress, 10, S::Withdrawn),
            (S::Answered, 11, S::Closed),
        ];
        for from in S::ALL {
            for (i, ev) in events.iter().enumerate() {
                let expected = allowed.iter().find(|(f, e, _)| f == from && *e == i).map(|(_, _, to)| *to);
                let got = next_request_status(*from, *ev, true).ok();
                assert_eq!(got, expected, "{from:?} {ev:?}");
            }
        }
        // A notification (no answer expected) can be closed while open.
        assert_eq!(next_request_status(S::Acknowledged, RequestEvent::Close, false), Ok(S::Closed));
        assert_eq!(
            next_request_status(S::Closed, RequestEvent::Acknowledge, true).unwrap_err().to_string(),
            "A request that is closed cannot be acknowledged."
        );
    }
}
