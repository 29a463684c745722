//! The case page: header, summary, requests, indicators, attachments, links and history; editing with
//! optimistic concurrency; status changes; new requests.

use super::cases::CaseFields;
use crate::api::cases::{case_changes, open_case, AddEntity, AddIndicator, BulkAddIndicators, ChangeCaseStatus, UpdateCase};
use crate::api::requests::CreateRequest;
use crate::components::badges::{file_size, CaseStatusBadge, ConditionsBadges, DeadlineText, PriorityBadge, RequestStatusBadge, TlpBadge};
use crate::components::forms::{action_error, enum_options, ConditionsFields, ErrorSummary, Field, SelectField, TextArea};
use crate::components::layout::Guard;
use crate::components::server_form::ServerForm;
use crate::components::upload::FileUpload;
use crate::error::AppError;
use crate::i18n::{LabelIn, Locale};
use crate::model::permissions::Action;
use crate::model::*;
use crate::pages::errors::NotFoundPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <Title text=tr!(l, "case-title")/>
        <CaseDetail/>
    }
}

#[component]
fn CaseDetail() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let opened = Resource::new(id, open_case);

    view! {
        <Guard action=Action::WorkCases>
        <Suspense fallback=move || view! { <p class="loading">{tr!(l, "case-loading")}</p> }>
            {move || Suspend::new(async move {
                match opened.await {
                    Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                    Ok(OpenedCase { case: c, history: h, options }) => view! {
                        <Title text=c.reference.clone()/>
                        <CaseHeader case=c.clone()/>
                        <div class="columns">
                            <div>
                                <section class="panel" aria-labelledby="summary-h">
                                    <h2 id="summary-h">{tr!(l, "case-summary")}</h2>
                                    <p class="prewrap" translate=if c.summary.is_empty() { "yes" } else { "no" }>{if c.summary.is_empty() { tr!(l, "case-no-summary") } else { c.summary.clone() }}</p>
                                    {c.can_edit.then(|| view! { <EditCase case=c.clone() options=options.clone()/> })}
                                </section>
                                <CaseRequests case=c.clone() options/>
                                <Indicators case=c.clone()/>
                                <Entities case=c.clone()/>
                            </div>
                            <div>
                                <Attachments case=c.clone()/>
                                <section class="panel" aria-labelledby="links-h">
                                    <h2 id="links-h">{tr!(l, "case-related")}</h2>
                                    {if c.links.is_empty() {
                                        view! { <p class="muted">{tr!(l, "none")}</p> }.into_any()
                                    } else {
                                        view! { <ul class="plain">{c.links.iter().map(|link| view! {
                                            <li translate="no"><a class="mono" href=format!("/cases/{}", link.id)>{link.reference.clone()}</a> " " {link.title.clone()}</li>
                                        }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                            </div>
                        </div>
                        <section class="panel" aria-labelledby="history-h">
                            <h2 id="history-h">{tr!(l, "case-history")}</h2>
                            <p class="muted">{tr!(l, "case-history-lead")}</p>
                            <h3>{tr!(l, "case-changes")}</h3>
                            <HistoryTable entries=h.changes label=tr!(l, "case-changes-label")/>
                            {h.more_changes.then(|| view! {
                                <p><a href=format!("/cases/{}/history", c.id)>{tr!(l, "case-every-change")}</a> " "
                                <span class="muted small">{tr!(l, "case-most-recent", count = crate::model::HISTORY_CHANGES_SHOWN as i64)}</span></p>
                            })}
                            <h3>{tr!(l, "case-recent-views")}</h3>
                            <HistoryTable entries=h.views label=tr!(l, "case-recent-views-label")/>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
        </Guard>
    }
}

/// Every change to a case, a page at a time (`?before=` an event's number, from the "Older changes" link).
#[component]
pub fn CaseHistoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let args = move || {
        let id = params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
        let before = query.read().get("before").and_then(|s| s.parse::<i64>().ok());
        (id, before)
    };
    let page = Resource::new(args, |(id, before)| case_changes(id, before));
    let l = crate::i18n::use_locale();
    view! {
        <Title text=tr!(l, "case-history-title")/>
        <Guard action=Action::WorkCases>
        <Suspense fallback=move || view! { <p class="loading">{tr!(l, "history-loading")}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                    Ok(p) => view! {
                        <Title text=tr!(l, "case-history-of", reference = p.reference.clone())/>
                        <p translate="no"><a href=format!("/cases/{}", p.case_id)>"← " {p.reference.clone()}</a></p>
                        <h1>{tr!(l, "case-changes-to", title = p.title.clone())}</h1>
                        <p class="muted">{tr!(l, "case-history-page-lead")}</p>
                        {if p.changes.is_empty() {
                            view! { <p class="muted">{tr!(l, "history-none")}</p> }.into_any()
                        } else {
                            view! { <HistoryTable entries=p.changes label=tr!(l, "case-changes-label")/> }.into_any()
                        }}
                        {p.older.map(|before| view! {
                            <p><a class="button secondary" href=format!("/cases/{}/history?before={before}", p.case_id)>{tr!(l, "history-older")}</a></p>
                        })}
                    }.into_any(),
                }
            })}
        </Suspense>
        </Guard>
    }
}

#[component]
fn CaseHeader(case: CaseView) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let id = case.id;
    let current = case.status;
    let transitions = case.allowed_transitions.clone();
    view! {
        <header class="case-header">
            <div class="print-only print-banner" aria-hidden="true">{case.tlp.label()} " · " {case.reference.clone()}</div>
            <p class="mono muted"><span translate="no">{case.reference.clone()}</span> " · " {case.category.label_in(l)}</p>
            <h1 translate="no">{case.title.clone()}</h1>
            <div class="badges">
                <TlpBadge tlp=case.tlp/>
                <CaseStatusBadge status=case.status/>
                <PriorityBadge priority=case.priority/>
            </div>
            <dl class="facts inline-facts">
                <dt>{tr!(l, "case-owner")}</dt><dd translate="no">{case.owner_agency.name.clone()} " (" {case.owner_agency.code.clone()} ")"</dd>
                <dt>{tr!(l, "col-lead")}</dt><dd translate="no">{case.lead_name.clone()}</dd>
                <dt>{tr!(l, "case-parties")}</dt>
                <dd translate="no">{case.parties.iter().map(|p| format!("{} ({})", p.code, p.country.as_str())).collect::<Vec<_>>().join(", ")}</dd>
                <dt>{tr!(l, "col-updated")}</dt><dd>{tr!(l, "case-updated-by", when = case.updated.text.clone(), who = case.updated_by.clone())}</dd>
                {case.review.clone().map(|r| view! { <dt>{tr!(l, "case-review")}</dt><dd>{r.text}</dd> })}
            </dl>
            {case.purged.clone().map(|p| view! {
                <p class="purged-note" role="note">{tr!(l, "case-purged", when = p.at.text, who = p.by)} " " <span translate="no">{p.reason}</span></p>
            })}
            <div class="actions">
                {pdf_link(id, &case.export_held, l)}
                {transitions.into_iter().map(|to| {
                    let label = match to {
                        CaseStatus::Active => if current == CaseStatus::Closed { tr!(l, "case-reopen") } else { tr!(l, "case-mark-active") },
                        CaseStatus::Closed => tr!(l, "case-close"),
                        CaseStatus::Archived => tr!(l, "case-archive"),
                        CaseStatus::Open => tr!(l, "case-mark-open"),
                    };
                    view! {
                        <ServerForm action=ChangeCaseStatus::PATH class="inline">
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="status" value=to.as_str()/>
                            <button type="submit" class="button secondary">{label}</button>
                        </ServerForm>
                    }
                }).collect_view()}
            </div>
        </header>
    }
}

#[component]
fn EditCase(case: CaseView, options: FormOptions) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let parties = case.parties.iter().filter(|p| p.id != case.owner_agency.id).map(|p| p.code.clone()).collect::<Vec<_>>();
    let links = case.links.iter().map(|l| crate::model::CaseChoice { reference: l.reference.clone(), title: l.title.clone() }).collect();
    view! {
        <details class="edit">
            <summary class="button secondary">{tr!(l, "case-edit")}</summary>
            <ServerForm action=UpdateCase::PATH done=tr!(l, "case-saved")>
                <input type="hidden" name="id" value=case.id/>
                <input type="hidden" name="version" value=case.version/>
                <CaseFields
                    options
                    form="edit"
                    title=case.title.clone()
                    summary=case.summary.clone()
                    category=case.category.as_str().to_string()
                    priority=case.priority.as_str().to_string()
                    tlp=case.tlp.as_str().to_string()
                    lead=case.lead_user_id.to_string()
                    parties
                    links
                />
                <button type="submit" class="button primary">{tr!(l, "save-changes")}</button>
            </ServerForm>
        </details>
    }
}

#[component]
fn CaseRequests(case: CaseView, options: FormOptions) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let open_case = case.accepts_requests;
    let my_country = options.my_agency.country;
    let recipients: Vec<(String, String)> = std::iter::once((String::new(), tr!(l, "req-choose-agency")))
        .chain(options.agencies.iter().filter(|a| a.country != my_country).map(|a| (a.code.clone(), format!("{} — {}", a.code, a.name))))
        .collect();
    let zone = options.time_zone.clone();
    // No basis is chosen in advance: the sender states it.
    let bases: Vec<(String, String)> = std::iter::once((String::new(), tr!(l, "choose")))
        .chain(options.legal_bases.iter().map(|b| (b.code.clone(), b.label.clone())))
        .collect();
    view! {
        <section class="panel" aria-labelledby="requests-h">
            <h2 id="requests-h">{tr!(l, "requests-title")}</h2>
            {if case.requests.is_empty() {
                view! { <p class="muted">{tr!(l, "case-no-request")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data">
                            <caption class="visually-hidden">{tr!(l, "case-requests-caption")}</caption>
                            <thead><tr><th scope="col">{tr!(l, "col-subject")}</th><th scope="col">{tr!(l, "col-from-to")}</th><th scope="col">{tr!(l, "col-status")}</th><th scope="col">{tr!(l, "col-due")}</th></tr></thead>
                            <tbody>
                                {case.requests.iter().map(|r| view! {
                                    <tr>
                                        <td><a href=format!("/requests/{}", r.id) translate="no">{r.subject.clone()}</a><div class="muted small">{r.kind.label_in(l)} " · " <PriorityBadge priority=r.priority/></div></td>
                                        <td class="nowrap" translate="no">{r.from_agency.clone()} " → " {r.to_agency.clone()}</td>
                                        <td><RequestStatusBadge status=r.status/></td>
                                        <td><DeadlineText deadline=r.deadline.clone()/></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {open_case.then(|| view! {
                <details class="new-request">
                    <summary class="button primary">{tr!(l, "req-new")}</summary>
                    <ServerForm action=CreateRequest::PATH then="/requests/{id}">
                        <input type="hidden" name="case_id" value=case.id/>
                        <div class="field-row">
                            <SelectField form="req" label=tr!(l, "field-type") name="kind" options=enum_options(RequestKind::ALL, RequestKind::as_str, |k| k.label_in(l), None)/>
                            <SelectField form="req" label=tr!(l, "field-to-agency") name="to_agency" options=recipients.clone()/>
                        </div>
                        <Field form="req" label=tr!(l, "field-subject") name="subject" required=true/>
                        <TextArea form="req" label=tr!(l, "field-request") name="body" rows=6 required=true/>
                        <fieldset class="legal-basis-fields">
                            <legend>{tr!(l, "lb-legend")}</legend>
                            <SelectField form="req" label=tr!(l, "lb-basis") name="legal_basis" options=bases.clone()/>
                            <TextArea form="req" label=tr!(l, "lb-note") name="legal_basis_note" rows=2 hint=tr!(l, "lb-note-hint")/>
                            <div class="field checkbox">
                                <input type="checkbox" id="f-req-for_court" name="for_court" value="true"/>
                                <label for="f-req-for_court">{tr!(l, "lb-for-court")}</label>
                            </div>
                            <Field form="req" label=tr!(l, "lb-mla-reference") name="mla_reference" hint=tr!(l, "lb-mla-hint")/>
                        </fieldset>
                        <div class="field-row">
                            <SelectField form="req" label=tr!(l, "filter-priority") name="priority" options=enum_options(Priority::ALL, Priority::as_str, |p| p.label_in(l), None) selected="normal"/>
                            <SelectField form="req" label=tr!(l, "field-tlp") name="tlp" options=enum_options(Tlp::ALL, Tlp::as_str, Tlp::label, None) selected=case.tlp.as_str().to_string()/>
                        </div>
                        <div class="field checkbox">
                            <input type="checkbox" id="f-req-directly_available" name="directly_available" value="true"/>
                            <label for="f-req-directly_available">{tr!(l, "req-directly-available")}</label>
                        </div>
                        <ConditionsFields form="req"/>
                        <Field form="req" label=tr!(l, "field-due") name="due" kind="datetime-local" hint=tr!(l, "field-due-hint")/>
                        <p class="hint">{tr!(l, "times-in", zone = zone.clone())}</p>
                        <div class="field checkbox">
                            <input type="checkbox" id="f-req-intent" name="intent" value="draft"/>
                            <label for="f-req-intent">{tr!(l, "req-save-draft")}</label>
                        </div>
                        <button type="submit" class="button primary">{tr!(l, "req-send")}</button>
                    </ServerForm>
                </details>
            })}
        </section>
    }
}

#[component]
fn Indicators(case: CaseView) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let id = case.id;
    view! {
        <section class="panel" aria-labelledby="indicators-h">
            <div class="page-head">
                <h2 id="indicators-h">{tr!(l, "ind-title")}</h2>
                <a class="button secondary" href=format!("/cases/{id}/indicators.stix.json") download="" rel="external">{tr!(l, "ind-export")}</a>
            </div>
            // Those the export leaves out, and why (`policy::push_indicator_leaves`).
            {(case.indicators_held > 0).then(|| view! {
                <p class="muted small" data-testid="indicators-held">{tr!(l, "ind-held-h2", count = case.indicators_held)}</p>
            })}
            // Refreshed in place after a bulk paste (see BulkIndicators).
            <div id="indicator-list">
            {if case.indicators.is_empty() {
                view! { <p class="muted">{tr!(l, "ind-none")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data">
                            <caption class="visually-hidden">{tr!(l, "ind-title")}</caption>
                            <thead><tr><th scope="col">{tr!(l, "col-type")}</th><th scope="col">{tr!(l, "col-value")}</th><th scope="col">{tr!(l, "col-marking")}</th><th scope="col">{tr!(l, "col-seen")}</th><th scope="col">{tr!(l, "col-note")}</th></tr></thead>
                            <tbody>
                                {case.indicators.iter().map(|i| view! {
                                    <tr>
                                        <td>{i.kind.label_in(l)}</td>
                                        <td class="mono breakable" translate="no">{i.value.clone()}</td>
                                        <td><TlpBadge tlp=i.tlp/>{(!i.conditions.is_empty()).then(|| view! { " " <ConditionsBadges conditions=i.conditions.clone()/> })}</td>
                                        <td class="nowrap">{i.first_seen.clone().unwrap_or_default()} {i.last_seen.clone().map(|l| format!(" – {l}"))}</td>
                                        <td translate="no">{i.note.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            </div>
            <details>
                <summary class="button secondary">{tr!(l, "ind-add-open")}</summary>
                <ServerForm action=AddIndicator::PATH done=tr!(l, "ind-added")>
                    <input type="hidden" name="case_id" value=id/>
                    <div class="field-row">
                        <SelectField form="ind" label=tr!(l, "field-ind-type") name="kind" options=enum_options(IndicatorKind::ALL, IndicatorKind::as_str, |k| k.label_in(l), Some(&tr!(l, "choose-type")))/>
                        <SelectField form="ind" label=tr!(l, "field-ind-tlp") name="tlp" field="tlp" options=enum_options(Tlp::ALL, Tlp::as_str, Tlp::label, None) selected=case.tlp.as_str().to_string()/>
                    </div>
                    <Field form="ind" label=tr!(l, "col-value") name="value" hint=tr!(l, "field-value-hint")/>
                    <div class="field-row">
                        <Field form="ind" label=tr!(l, "field-first-seen") name="first_seen" kind="date"/>
                        <Field form="ind" label=tr!(l, "field-last-seen") name="last_seen" kind="date"/>
                    </div>
                    <Field form="ind" label=tr!(l, "col-note") name="note"/>
                    <ConditionsFields form="ind"/>
                    <button type="submit" class="button primary">{tr!(l, "ind-add")}</button>
                </ServerForm>
            </details>
            <details>
                <summary class="button secondary">{tr!(l, "ind-paste")}</summary>
                <BulkIndicators case_id=id tlp=case.tlp.as_str().to_string() l/>
            </details>
        </section>
    }
}

/// Persons, companies and vessels the case concerns: what incoming requests are cross-checked against.
#[component]
fn Entities(case: CaseView) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let id = case.id;
    view! {
        <section class="panel" aria-labelledby="entities-h">
            <h2 id="entities-h">{tr!(l, "ent-title")}</h2>
            {if case.entities.is_empty() {
                view! { <p class="muted">{tr!(l, "ent-none")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data">
                            <caption class="visually-hidden">{tr!(l, "ent-title")}</caption>
                            <thead><tr><th scope="col">{tr!(l, "col-kind")}</th><th scope="col">{tr!(l, "col-name")}</th><th scope="col">{tr!(l, "col-identifier")}</th><th scope="col">{tr!(l, "col-note")}</th></tr></thead>
                            <tbody>
                                {case.entities.iter().map(|e| view! {
                                    <tr>
                                        <td>{e.kind.label_in(l)}</td>
                                        <td translate="no">{e.name.clone()}</td>
                                        <td class="mono breakable" translate="no">{e.identifier.clone()}</td>
                                        <td translate="no">{e.note.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <details>
                <summary class="button secondary">{tr!(l, "ent-add-open")}</summary>
                <ServerForm action=AddEntity::PATH done=tr!(l, "added")>
                    <input type="hidden" name="case_id" value=id/>
                    <div class="field-row">
                        <SelectField form="ent" label=tr!(l, "col-kind") name="kind" options=enum_options(EntityKind::ALL, EntityKind::as_str, |k| k.label_in(l), Some(&tr!(l, "choose")))/>
                        <Field form="ent" label=tr!(l, "col-name") name="name"/>
                    </div>
                    <Field form="ent" label=tr!(l, "col-identifier") name="identifier" hint=tr!(l, "ent-identifier-hint")/>
                    <Field form="ent" label=tr!(l, "col-note") name="note"/>
                    <button type="submit" class="button primary">{tr!(l, "add")}</button>
                </ServerForm>
            </details>
        </section>
    }
}

#[component]
fn Attachments(case: CaseView) -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <section class="panel" aria-labelledby="files-h">
            <h2 id="files-h">{tr!(l, "files-title")}</h2>
            <AttachmentList files=case.attachments.clone()/>
            <FileUpload case_id=case.id label=tr!(l, "files-add-case") id="case-upload" l/>
        </section>
    }
}

#[component]
pub fn AttachmentList(files: Vec<AttachmentView>) -> impl IntoView {
    let l = crate::i18n::use_locale();
    if files.is_empty() {
        return view! { <p class="muted">{tr!(l, "files-none")}</p> }.into_any();
    }
    view! {
        <ul class="files">
            {files.into_iter().map(|f| view! {
                <li>
                    <a href=format!("/attachments/{}", f.id) download="" rel="external" translate="no">{f.file_name.clone()}</a>
                    <span class="muted" translate="no">" · " {file_size(f.size)} " · " {f.uploaded_by.clone()} " · " {f.created.text.clone()}</span>
                    {(!f.conditions.is_empty()).then(|| view! { " " <ConditionsBadges conditions=f.conditions.clone()/> })}
                    <div class="mono small muted breakable" title="SHA-256" translate="no">"SHA-256 " {f.sha256.clone()}</div>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn HistoryTable(entries: Vec<crate::model::HistoryEntry>, #[prop(into)] label: String) -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <div class="table-wrap">
            <table class="data history">
                <caption class="visually-hidden">{label}</caption>
                <thead><tr><th scope="col">{tr!(l, "col-when")}</th><th scope="col">{tr!(l, "col-event")}</th></tr></thead>
                <tbody>
                    // The sentence is already in the reader's language and names people and titles as written:
                    // never for a browser's machine translation. The action's code is its title, for whoever
                    // searches the audit trail by it.
                    {entries.into_iter().map(|e| view! {
                        <tr>
                            <td class="nowrap"><time datetime=e.at.at.to_rfc3339()>{e.at.text.clone()}</time></td>
                            <td title=e.action.clone() data-action=e.action.clone() translate="no">{e.said.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// An island of its own: the server answers line by line (added, or why not), and the report is shown
/// under the form, which keeps the pasted text for correction; the indicator table is fetched again in
/// place.
#[island]
fn BulkIndicators(case_id: i64, tlp: String, l: Locale) -> impl IntoView {
    let bulk = ServerAction::<BulkAddIndicators>::new();
    let error = action_error(bulk);
    Effect::new(move |_| {
        if let Some(Ok(lines)) = bulk.value().get() {
            if lines.iter().any(|l| l.added) {
                #[cfg(feature = "hydrate")]
                leptos::task::spawn_local(crate::components::live::refresh("indicator-list".into()));
            }
        }
    });
    view! {
        <ActionForm action=bulk>
            <input type="hidden" name="case_id" value=case_id/>
            <ErrorSummary error/>
            <TextArea form="bulk" label=tr!(l, "bulk-label") name="text" rows=8 hint=tr!(l, "bulk-hint") error/>
            <SelectField form="bulk" label=tr!(l, "bulk-tlp") name="tlp" options=enum_options(Tlp::ALL, Tlp::as_str, Tlp::label, None) selected=tlp error/>
            <ConditionsFields form="bulk"/>
            <button type="submit" class="button primary">{tr!(l, "bulk-add")}</button>
        </ActionForm>
        {move || bulk.value().get().and_then(|r| r.ok()).map(|lines| {
            let added = lines.iter().filter(|l| l.added).count();
            view! {
                <div role="status" class="bulk-report">
                    <p><strong>{tr!(l, "bulk-report", added = added as i64, total = lines.len() as i64)}</strong></p>
                    <ul class="plain">{lines.into_iter().map(|line| view! {
                        <li class=if line.added { "ok" } else { "refused" }>{tr!(l, "bulk-line", line = line.line as i64)} ": " <span class="mono">{line.input}</span> " — " {line.outcome}</li>
                    }).collect_view()}</ul>
                </div>
            }
        })}
    }
}

/// The PDF report's button, or, while answers under H2 hold it back (`consents::held_from_export`), why not
/// and where to ask their providers' consent to export them.
fn pdf_link(id: i64, held: &[crate::model::HeldBack], l: Locale) -> AnyView {
    if held.is_empty() {
        return view! { <a class="button secondary" href=format!("/cases/{id}/report.pdf") download="" rel="external">{tr!(l, "case-pdf")}</a> }
            .into_any();
    }
    let answers = held
        .iter()
        .enumerate()
        .map(|(i, h)| {
            view! {
                {(i > 0).then_some(", ")}
                <a href=format!("/requests/{}#response-{}", h.request_id, h.response_id) translate="no">{format!("R{} ({})", h.request_id, h.provider)}</a>
            }
        })
        .collect_view();
    view! { <p class="export-held" role="note">{tr!(l, "case-pdf-held")} " " {answers}</p> }.into_any()
}
