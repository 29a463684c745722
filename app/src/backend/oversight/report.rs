//! The case report as a PDF: header, parties, persons and indicators, every request with its responses
//! and gradings, attachments with their hashes. Built from the same views as the case and request pages,
//! so it shows exactly what the reader may see there; the strictest handling code in it marks every page.

use crate::backend::exchange::policy::{self, CaseOp, RequestOp};
use crate::backend::oversight::pdf::{Document, Face, Running};
use crate::backend::platform::{auth::Actor, db::Db, time};
use crate::backend::{exchange::case_page, exchange::cases, exchange::request_page, exchange::requests};
use crate::error::AppError;
use crate::model::*;
use chrono::{DateTime, Utc};
use serde_json::json;

/// TLP 2.0 label colours (shown on black).
fn marking_colour(tlp: Tlp) -> (f32, f32, f32) {
    match tlp {
        Tlp::Red => (1.0, 0.169, 0.169),
        Tlp::Amber | Tlp::AmberStrict => (1.0, 0.753, 0.0),
        Tlp::Green => (0.2, 1.0, 0.0),
        Tlp::Clear => (1.0, 1.0, 1.0),
    }
}

fn grading(source: Option<SourceGrade>, info: Option<InfoGrade>) -> Option<String> {
    match (source, info) {
        (Some(s), Some(i)) => Some(format!("{}{} (source {}; information {})", s.as_str(), i.as_str(), s.label(), i.label())),
        _ => None,
    }
}

/// The strictest handling code anywhere in the report.
fn strictest(case: &CaseView, requests: &[RequestView]) -> Tlp {
    let mut all = vec![case.tlp];
    all.extend(case.indicators.iter().map(|i| i.tlp));
    for r in requests {
        all.push(r.summary.tlp);
        all.extend(r.responses.iter().map(|x| x.tlp));
        all.extend(r.passed_on.iter().map(|p| p.response.tlp));
    }
    all.into_iter().max().unwrap_or(Tlp::Red)
}

/// Every handling condition anywhere in the report: the banner carries them beside the TLP marking.
fn all_conditions(requests: &[RequestView]) -> Conditions {
    let mut all = Conditions::default();
    for r in requests {
        all = all.union(&r.conditions);
        for resp in r.responses.iter().chain(r.passed_on.iter().map(|p| &p.response)) {
            all = all.union(&resp.conditions);
        }
    }
    all
}

/// "Conditions: H1 (not in judicial proceedings…), H3: words", or None without any.
fn conditions_line(c: &Conditions) -> Option<String> {
    if c.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for (on, text) in [
        (c.h0, "H0 (only to prevent and combat crime)"),
        (c.h1, "H1 (not in judicial proceedings without the provider's permission)"),
        (c.h2, "H2 (not to be passed on without the provider's permission)"),
    ] {
        if on {
            parts.push(text.to_string());
        }
    }
    if let Some(words) = &c.h3 {
        parts.push(format!("H3: {words}"));
    }
    Some(format!("Handling conditions: {}", parts.join("; ")))
}

fn consent_lines(doc: &mut Document, indent: f32, consents: &[ConsentView]) {
    for k in consents {
        let what = match &k.pass_to {
            Some(to) => format!("pass on to {to}"),
            None => k.purpose.label().to_string(),
        };
        let mut line = format!("Consent asked by {} ({}) {}: {} · {}", k.asked_by, k.asked_by_agency, k.asked.text, what, k.status.label());
        if let (Some(by), Some(at)) = (&k.answered_by, &k.answered) {
            line.push_str(&format!(" by {by} {}", at.text));
        }
        if !k.answer.is_empty() {
            line.push_str(&format!(" — {}", k.answer));
        }
        doc.text(Face::Regular, 9.0, indent, &line);
    }
}

fn files(doc: &mut Document, indent: f32, list: &[AttachmentView]) {
    for f in list {
        doc.text(
            Face::Regular,
            9.0,
            indent,
            &format!("File: {} ({} bytes, {} by {}) SHA-256 {}", f.file_name, f.size, f.created.text, f.uploaded_by, f.sha256),
        );
    }
}

pub fn render(case: &CaseView, requests: &[RequestView], reader: &SessionUser, now: DateTime<Utc>) -> Result<Vec<u8>, AppError> {
    let marking = strictest(case, requests);
    let codes = all_conditions(requests).codes();
    let mut doc = Document::new();
    case_facts(&mut doc, case);
    case_records(&mut doc, case);
    doc.heading(12.0, &format!("Requests ({})", requests.len()));
    if requests.is_empty() {
        doc.text(Face::Regular, 10.0, 0.0, "No request.");
    }
    for r in requests {
        request(&mut doc, r);
    }
    let printed = time::display(now, &reader.time_zone);
    let running = Running {
        marking: if codes.is_empty() { marking.label().to_string() } else { format!("{} · {}", marking.label(), codes.join(" ")) },
        marking_colour: marking_colour(marking),
        // Shortened to fit beside the marking, at a word, with "…".
        header: format!("{} · {}", case.reference, case.title),
        footer: format!("Printed {printed} for {} ({})", reader.display_name, reader.agency_code),
    };
    doc.finish(&format!("{} {}", case.reference, case.title), "en", &running).map_err(|e| {
        tracing::error!(error = e, "the case report could not be made");
        AppError::Internal
    })
}

/// The title block, the case's facts and its summary.
fn case_facts(doc: &mut Document, case: &CaseView) {
    doc.text(Face::Regular, 10.0, 0.0, &format!("Case report · {}", case.reference));
    doc.title(16.0, &case.title);
    doc.gap(4.0);
    doc.fact("Category", case.category.label());
    doc.fact("Priority", case.priority.label());
    doc.fact("Status", case.status.label());
    doc.fact("Handling code", case.tlp.label());
    doc.fact("Owner", &format!("{} ({}, {})", case.owner_agency.name, case.owner_agency.code, case.owner_agency.country.label()));
    doc.fact("Lead officer", &case.lead_name);
    let parties: Vec<String> = case.parties.iter().map(|p| format!("{} ({}, {})", p.name, p.code, p.country.label())).collect();
    doc.fact("Parties", &parties.join("; "));
    doc.fact("Opened", &case.created.text);
    doc.fact("Last changed", &format!("{} by {}", case.updated.text, case.updated_by));

    doc.heading(12.0, "Summary");
    doc.text(Face::Regular, 10.0, 0.0, if case.summary.is_empty() { "No summary." } else { &case.summary });
}

/// Entities, indicators and the case's own files.
fn case_records(doc: &mut Document, case: &CaseView) {
    if !case.entities.is_empty() {
        doc.heading(12.0, "Persons, companies and vessels");
        for e in &case.entities {
            let id = if e.identifier.is_empty() { String::new() } else { format!(" ({})", e.identifier) };
            let note = if e.note.is_empty() { String::new() } else { format!(" — {}", e.note) };
            doc.text(Face::Regular, 10.0, 0.0, &format!("{}: {}{id}{note}", e.kind.label(), e.name));
        }
    }
    if !case.indicators.is_empty() {
        doc.heading(12.0, "Indicators");
        for i in &case.indicators {
            let seen = match (&i.first_seen, &i.last_seen) {
                (Some(f), Some(l)) => format!(", seen {f} to {l}"),
                (Some(f), None) => format!(", first seen {f}"),
                _ => String::new(),
            };
            doc.text(Face::Regular, 10.0, 0.0, &format!("{}: {} ({}{seen})", i.kind.label(), i.value, i.tlp.label()));
        }
    }
    if !case.attachments.is_empty() {
        doc.heading(12.0, "Case files");
        files(doc, 0.0, &case.attachments);
    }
}

/// One request: its heading, times, text and files, then its thread.
fn request(doc: &mut Document, r: &RequestView) {
    let s = &r.summary;
    doc.rule();
    doc.keep(60.0);
    doc.text(Face::Bold, 11.0, 0.0, &s.subject);
    doc.text(
        Face::Regular,
        9.5,
        0.0,
        &format!(
            "{} · from {} ({}) to {} ({}) · {} · {} · {}",
            s.kind.label(),
            r.from_agency.name,
            r.from_agency.code,
            r.to_agency.name,
            r.to_agency.code,
            s.priority.label(),
            s.status.label(),
            s.tlp.label()
        ),
    );
    let mut when = vec![format!("Sent {}", r.sent.as_ref().map(|t| t.text.as_str()).unwrap_or("not yet"))];
    if let Some(d) = &s.deadline {
        when.push(format!("due {} ({})", d.due.text, d.other_zone));
    }
    if let (Some(t), Some(by)) = (&r.acknowledged, &r.acknowledged_by) {
        when.push(format!("acknowledged {} by {by}", t.text));
    }
    doc.text(Face::Regular, 9.5, 0.0, &when.join(" · "));
    if let Some(reason) = &r.decline_reason {
        doc.text(Face::Regular, 9.5, 0.0, &format!("Declined: {reason}"));
    }
    let basis = r.legal_basis.as_ref().map_or("not recorded".to_string(), |b| b.label.clone());
    let note = if r.legal_basis_note.is_empty() { String::new() } else { format!(" — {}", r.legal_basis_note) };
    doc.text(Face::Regular, 9.5, 0.0, &format!("Legal basis: {basis}{note}"));
    if r.for_court {
        let reference = if r.mla_reference.is_empty() { "no reference yet".to_string() } else { format!("reference {}", r.mla_reference) };
        doc.text(Face::Regular, 9.5, 0.0, &format!("Evidence for court: needs a formal mutual legal assistance request ({reference})"));
    }
    if let Some(line) = conditions_line(&r.conditions) {
        doc.text(Face::Regular, 9.5, 0.0, &line);
    }
    doc.gap(3.0);
    doc.text(Face::Regular, 10.0, 12.0, &r.body);
    files(doc, 12.0, &r.attachments);
    for resp in &r.responses {
        doc.gap(4.0);
        doc.keep(40.0);
        let mut head = format!("{} · {} ({}) · {} · {}", resp.kind.label(), resp.author, resp.agency, resp.created.text, resp.tlp.label());
        if let Some(g) = grading(resp.source_grade, resp.info_grade) {
            head.push_str(&format!(" · grading {g}"));
        }
        doc.text(Face::Bold, 9.5, 24.0, &head);
        if let Some(line) = conditions_line(&resp.conditions) {
            doc.text(Face::Regular, 9.0, 24.0, &line);
        }
        doc.text(Face::Regular, 10.0, 24.0, &resp.body);
        files(doc, 24.0, &resp.attachments);
        consent_lines(doc, 24.0, &resp.consents);
    }
    for passed in &r.passed_on {
        let resp = &passed.response;
        doc.gap(4.0);
        doc.keep(40.0);
        doc.text(
            Face::Bold,
            9.5,
            24.0,
            &format!("Passed on by {} {}: {} ({}) · {}", passed.passed_by, passed.passed.text, resp.author, resp.agency, resp.tlp.label()),
        );
        if let Some(line) = conditions_line(&resp.conditions) {
            doc.text(Face::Regular, 9.0, 24.0, &line);
        }
        doc.text(Face::Regular, 10.0, 24.0, &resp.body);
    }
}

/// The report for `case_id` if the actor may read the case; every attempt is an audit event.
pub async fn case_report(db: &Db, actor: &Actor, case_id: i64) -> Result<(String, Vec<u8>), AppError> {
    use crate::backend::platform::audit::{self, Event};
    let mut conn = db.pool.acquire().await?;
    let access = match cases::checked(&mut conn, &actor.user, case_id, CaseOp::View).await {
        Ok(a) => a,
        Err(e) => {
            drop(conn);
            audit::record_refusal(db, &actor.who, Event::new("case.export_pdf").on("case", case_id)).await?;
            return Err(e);
        }
    };
    let case = case_page::case(&mut conn, &access, &actor.user).await?;
    let mut views = Vec::new();
    for s in &case.requests {
        let Some((row, racc)) = requests::load(&mut conn, s.id).await? else { continue };
        if policy::ensure_request(&actor.user, &racc.parties, row.sides(), RequestOp::View).is_ok() {
            views.push(request_page::request(&mut conn, &row, &racc, &actor.user).await?);
        }
    }
    drop(conn);
    // A report reads in the order things happened.
    views.sort_by_key(|v| v.summary.id);
    let bytes = render(&case, &views, &actor.user, Utc::now())?;
    let event =
        Event::new("case.export_pdf").on("case", case_id).case(case_id).details(json!({"requests": views.len(), "bytes": bytes.len()}));
    audit::record_alone(db, &actor.who, event).await?;
    Ok((format!("{}-report.pdf", case.reference), bytes))
}
