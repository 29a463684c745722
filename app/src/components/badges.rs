//! Small labels: TLP handling codes in their standard colours, statuses, priorities, deadlines.

use crate::model::{CaseStatus, Deadline, Priority, RequestStatus, Tlp};
use leptos::prelude::*;

#[component]
pub fn TlpBadge(tlp: Tlp) -> impl IntoView {
    view! { <span class=format!("tlp tlp-{}", tlp.as_str().replace('_', "-")) title="Traffic Light Protocol handling code">{tlp.label()}</span> }
}

#[component]
pub fn PriorityBadge(priority: Priority) -> impl IntoView {
    view! { <span class=format!("priority priority-{}", priority.as_str())>{priority.label()}</span> }
}

#[component]
pub fn RequestStatusBadge(status: RequestStatus) -> impl IntoView {
    view! { <span class=format!("rstatus rstatus-{}", status.as_str())>{status.label()}</span> }
}

#[component]
pub fn CaseStatusBadge(status: CaseStatus) -> impl IntoView {
    view! { <span class=format!("cstatus cstatus-{}", status.as_str())>{status.label()}</span> }
}

/// "Overdue by 2 d 3 h · due 2026-11-25 03:30 EST / 14:00 IST": the viewer's zone first, named.
#[component]
pub fn DeadlineText(deadline: Option<Deadline>) -> impl IntoView {
    match deadline {
        None => view! { <span class="muted">"No deadline"</span> }.into_any(),
        Some(d) => {
            let class = if d.overdue { "deadline overdue" } else { "deadline" };
            view! {
                <span class=class>
                    {d.overdue.then(|| view! { <strong class="overdue-flag">"Overdue"</strong> " " })}
                    <time datetime=d.due.at.to_rfc3339()>{d.due.text.clone()}</time>
                    <span class="muted">" / " {d.other_zone.clone()}</span>
                    {(!d.remaining.is_empty()).then(|| view! { <span class="remaining">{d.remaining.clone()}</span> })}
                </span>
            }
            .into_any()
        }
    }
}

pub fn file_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}
