//! The case report as a PDF: header, parties, persons and indicators, every request with its responses
//! and gradings, attachments with their hashes. Built from the same views as the case and request pages,
//! so it shows exactly what the reader may see there; the strictest handling code in it marks every page.

use crate::backend::exchange::policy::{self, CaseOp, RequestOp};
use crate::backend::oversight::pdf::{Document, Face, Running};
use crate::backend::platform::{auth::Actor, db::Db, time};
use crate::backend::{exchange::case_page, exchange::cases, exchange::request_page, exchange::requests};
use crate::error::AppError;
use crate::i18n::{LabelIn, Locale};
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

fn grading(source: Option<SourceGrade>, info: Option<InfoGrade>, l: Locale) -> Option<String> {
    match (source, info) {
        (Some(s), Some(i)) => {
            Some(tr!(l, "pdf-grading", code = format!("{}{}", s.as_str(), i.as_str()), source = s.label_in(l), info = i.label_in(l)))
        }
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
fn conditions_line(c: &Conditions, l: Locale) -> Option<String> {
    if c.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for (on, text) in [(c.h0, tr!(l, "pdf-h0")), (c.h1, tr!(l, "pdf-h1")), (c.h2, tr!(l, "pdf-h2"))] {
        if on {
            parts.push(text);
        }
    }
    if let Some(words) = &c.h3 {
        parts.push(format!("H3: {words}"));
    }
    Some(tr!(l, "pdf-conditions", list = parts.join("; ")))
}

fn consent_lines(doc: &mut Document, indent: f32, consents: &[ConsentView], l: Locale) {
    for k in consents {
        let what = match &k.pass_to {
            Some(to) => tr!(l, "pdf-pass-on-to", agency = to.clone()),
            None => k.purpose.label_in(l),
        };
        let mut line = tr!(
            l,
            "pdf-consent",
            who = k.asked_by.clone(),
            agency = k.asked_by_agency.clone(),
            when = k.asked.text.clone(),
            what = what,
            status = k.status.label_in(l)
        );
        if let (Some(by), Some(at)) = (&k.answered_by, &k.answered) {
            line.push(' ');
            line.push_str(&tr!(l, "pdf-answered-by", who = by.clone(), when = at.text.clone()));
        }
        if !k.answer.is_empty() {
            line.push_str(&format!(" — {}", k.answer));
        }
        doc.text(Face::Regular, 9.0, indent, &line);
    }
}

fn files(doc: &mut Document, indent: f32, list: &[AttachmentView], l: Locale) {
    for f in list {
        let line = tr!(
            l,
            "pdf-file",
            name = f.file_name.clone(),
            size = f.size,
            when = f.created.text.clone(),
            who = f.uploaded_by.clone(),
            sha = f.sha256.clone()
        );
        doc.text(Face::Regular, 9.0, indent, &line);
    }
}

/// The report in the reader's language `l` (its fixed words, labels and page numbers; what users wrote, codes
/// and times as recorded), tagged with that language.
pub fn render(case: &CaseView, requests: &[RequestView], reader: &SessionUser, now: DateTime<Utc>, l: Locale) -> Result<Vec<u8>, AppError> {
    let marking = strictest(case, requests);
    let codes = all_conditions(requests).codes();
    let mut doc = Document::new();
    case_facts(&mut doc, case, l);
    case_records(&mut doc, case, l);
    doc.heading(12.0, &tr!(l, "pdf-requests", count = requests.len() as i64));
    if requests.is_empty() {
        doc.text(Face::Regular, 10.0, 0.0, &tr!(l, "pdf-no-request"));
    }
    for r in requests {
        request(&mut doc, r, l);
    }
    let printed = time::display(now, &reader.time_zone);
    let running = Running {
        marking: if codes.is_empty() { marking.label().to_string() } else { format!("{} · {}", marking.label(), codes.join(" ")) },
        marking_colour: marking_colour(marking),
        // Shortened to fit beside the marking, at a word, with "…".
        header: format!("{} · {}", case.reference, case.title),
        footer: tr!(l, "pdf-footer", when = printed, who = reader.display_name.clone(), agency = reader.agency_code.clone()),
        locale: l,
    };
    doc.finish(&format!("{} {}", case.reference, case.title), l.as_str(), &running).map_err(|e| {
        tracing::error!(error = e, "the case report could not be made");
        AppError::Internal
    })
}

/// The title block, the case's facts and its summary.
fn case_facts(doc: &mut Document, case: &CaseView, l: Locale) {
    doc.text(Face::Regular, 10.0, 0.0, &tr!(l, "pdf-title", reference = case.reference.clone()));
    doc.title(16.0, &case.title);
    doc.gap(4.0);
    doc.fact(&tr!(l, "col-category"), &case.category.label_in(l));
    doc.fact(&tr!(l, "col-priority"), &case.priority.label_in(l));
    doc.fact(&tr!(l, "col-status"), &case.status.label_in(l));
    doc.fact(&tr!(l, "pdf-handling-code"), case.tlp.label());
    let agency = |name: &str, code: &str, country: Country| format!("{name} ({code}, {})", country.label_in(l));
    doc.fact(&tr!(l, "pdf-owner"), &agency(&case.owner_agency.name, &case.owner_agency.code, case.owner_agency.country));
    doc.fact(&tr!(l, "pdf-lead"), &case.lead_name);
    let parties: Vec<String> = case.parties.iter().map(|p| agency(&p.name, &p.code, p.country)).collect();
    doc.fact(&tr!(l, "pdf-parties"), &parties.join("; "));
    doc.fact(&tr!(l, "pdf-opened"), &case.created.text);
    doc.fact(&tr!(l, "pdf-last-changed"), &tr!(l, "pdf-when-by", when = case.updated.text.clone(), who = case.updated_by.clone()));

    doc.heading(12.0, &tr!(l, "pdf-summary"));
    let summary = if case.summary.is_empty() { tr!(l, "pdf-no-summary") } else { case.summary.clone() };
    doc.text(Face::Regular, 10.0, 0.0, &summary);
}

/// Entities, indicators and the case's own files.
fn case_records(doc: &mut Document, case: &CaseView, l: Locale) {
    if !case.entities.is_empty() {
        doc.heading(12.0, &tr!(l, "pdf-entities"));
        for e in &case.entities {
            let id = if e.identifier.is_empty() { String::new() } else { format!(" ({})", e.identifier) };
            let note = if e.note.is_empty() { String::new() } else { format!(" — {}", e.note) };
            doc.text(Face::Regular, 10.0, 0.0, &format!("{}: {}{id}{note}", e.kind.label_in(l), e.name));
        }
    }
    if !case.indicators.is_empty() || case.indicators_held > 0 {
        doc.heading(12.0, &tr!(l, "pdf-indicators"));
        for i in &case.indicators {
            let seen = match (&i.first_seen, &i.last_seen) {
                (Some(f), Some(last)) => format!(", {}", tr!(l, "pdf-seen-between", from = f.clone(), to = last.clone())),
                (Some(f), None) => format!(", {}", tr!(l, "pdf-seen-first", from = f.clone())),
                _ => String::new(),
            };
            doc.text(Face::Regular, 10.0, 0.0, &format!("{}: {} ({}{seen})", i.kind.label_in(l), i.value, i.tlp.label()));
        }
        if case.indicators_held > 0 {
            doc.text(Face::Regular, 10.0, 0.0, &tr!(l, "pdf-indicators-held", count = case.indicators_held));
        }
    }
    if !case.attachments.is_empty() {
        doc.heading(12.0, &tr!(l, "pdf-case-files"));
        files(doc, 0.0, &case.attachments, l);
    }
}

/// One request: its heading, times, text and files, then its thread.
fn request(doc: &mut Document, r: &RequestView, l: Locale) {
    let s = &r.summary;
    doc.rule();
    doc.keep(60.0);
    doc.text(Face::Bold, 11.0, 0.0, &s.subject);
    let line = tr!(
        l,
        "pdf-request-line",
        kind = s.kind.label_in(l),
        from = format!("{} ({})", r.from_agency.name, r.from_agency.code),
        to = format!("{} ({})", r.to_agency.name, r.to_agency.code),
        priority = s.priority.label_in(l),
        status = s.status.label_in(l),
        tlp = s.tlp.label()
    );
    doc.text(Face::Regular, 9.5, 0.0, &line);
    doc.text(Face::Regular, 9.5, 0.0, &request_times(r, l));
    if let Some(reason) = &r.decline_reason {
        doc.text(Face::Regular, 9.5, 0.0, &tr!(l, "pdf-declined", reason = reason.clone()));
    }
    let basis = r.legal_basis.as_ref().map_or_else(|| tr!(l, "pdf-not-recorded"), |b| b.label.clone());
    let note = if r.legal_basis_note.is_empty() { String::new() } else { format!(" — {}", r.legal_basis_note) };
    doc.text(Face::Regular, 9.5, 0.0, &tr!(l, "pdf-legal-basis", basis = format!("{basis}{note}")));
    if r.for_court {
        let reference = if r.mla_reference.is_empty() {
            tr!(l, "pdf-court-no-reference")
        } else {
            tr!(l, "pdf-court-reference", reference = r.mla_reference.clone())
        };
        doc.text(Face::Regular, 9.5, 0.0, &tr!(l, "pdf-court", reference = reference));
    }
    if let Some(line) = conditions_line(&r.conditions, l) {
        doc.text(Face::Regular, 9.5, 0.0, &line);
    }
    doc.gap(3.0);
    doc.text(Face::Regular, 10.0, 12.0, &r.body);
    files(doc, 12.0, &r.attachments, l);
    for resp in &r.responses {
        response(doc, resp, l);
    }
    for passed in &r.passed_on {
        let resp = &passed.response;
        doc.gap(4.0);
        doc.keep(40.0);
        let head = tr!(
            l,
            "pdf-passed-on",
            who = passed.passed_by.clone(),
            when = passed.passed.text.clone(),
            author = resp.author.clone(),
            agency = resp.agency.clone(),
            tlp = resp.tlp.label()
        );
        doc.text(Face::Bold, 9.5, 24.0, &head);
        if let Some(line) = conditions_line(&resp.conditions, l) {
            doc.text(Face::Regular, 9.0, 24.0, &line);
        }
        doc.text(Face::Regular, 10.0, 24.0, &resp.body);
    }
}

/// "Sent … · due … (…) · acknowledged … by …".
fn request_times(r: &RequestView, l: Locale) -> String {
    let mut when = vec![match &r.sent {
        Some(t) => tr!(l, "pdf-sent", when = t.text.clone()),
        None => tr!(l, "pdf-not-sent"),
    }];
    if let Some(d) = &r.summary.deadline {
        when.push(tr!(l, "pdf-due", when = d.due.text.clone(), other = d.other_zone.clone()));
    }
    if let (Some(t), Some(by)) = (&r.acknowledged, &r.acknowledged_by) {
        when.push(tr!(l, "pdf-acknowledged", when = t.text.clone(), who = by.clone()));
    }
    when.join(" · ")
}

/// One response in a request's thread, with its grading, conditions, files and the consents asked about it.
fn response(doc: &mut Document, resp: &ResponseView, l: Locale) {
    doc.gap(4.0);
    doc.keep(40.0);
    let mut head = format!("{} · {} ({}) · {} · {}", resp.kind.label_in(l), resp.author, resp.agency, resp.created.text, resp.tlp.label());
    if let Some(g) = grading(resp.source_grade, resp.info_grade, l) {
        head.push_str(" · ");
        head.push_str(&tr!(l, "pdf-graded", grading = g));
    }
    doc.text(Face::Bold, 9.5, 24.0, &head);
    if let Some(line) = conditions_line(&resp.conditions, l) {
        doc.text(Face::Regular, 9.0, 24.0, &line);
    }
    doc.text(Face::Regular, 10.0, 24.0, &resp.body);
    files(doc, 24.0, &resp.attachments, l);
    consent_lines(doc, 24.0, &resp.consents, l);
}

/// The report for `case_id` if the actor may read the case; every attempt is an audit event.
pub async fn case_report(db: &Db, actor: &Actor, case_id: i64, l: Locale) -> Result<(String, Vec<u8>), AppError> {
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
    let mut case = case_page::case(&mut conn, &access, &actor.user).await?;
    // Indicators under H2 leave only with their provider (`policy::push_indicator_leaves`); the report
    // says how many it leaves out.
    case.indicators = crate::backend::exchange::indicators::for_export(&mut conn, case_id, &actor.user).await?;
    // H2 answers given to the reader's side leave only with their provider's consent to export them.
    if let Err(e) = crate::backend::exchange::consents::ensure_none_held(&case.export_held) {
        drop(conn);
        let held: Vec<i64> = case.export_held.iter().map(|h| h.response_id).collect();
        let event = Event::new("case.export_pdf").on("case", case_id).details(json!({"held_back": held}));
        audit::record_refusal(db, &actor.who, event).await?;
        return Err(e);
    }
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
    let bytes = render(&case, &views, &actor.user, Utc::now(), l)?;
    let event =
        Event::new("case.export_pdf").on("case", case_id).case(case_id).details(json!({"requests": views.len(), "bytes": bytes.len()}));
    audit::record_alone(db, &actor.who, event).await?;
    Ok((format!("{}-report.pdf", case.reference), bytes))
}
