//! One request: what was asked, its deadline and state, the thread of responses, and what the viewer
//! may do now (acknowledge, respond with grading and files, decline, withdraw, close).

use super::case_detail::AttachmentList;
use crate::api::requests::{
    cross_check, get_request, AcknowledgeRequest, ApproveRequest, CloseRequest, DeclineRequest, RespondToRequest, SendRequest,
    WithdrawRequest,
};
use crate::components::badges::{DeadlineText, PriorityBadge, RequestStatusBadge, TlpBadge};
use crate::components::forms::{enum_options, SelectField, TextArea};
use crate::components::layout::Guard;
use crate::components::server_form::ServerForm;
use crate::components::upload::FileUpload;
use crate::error::AppError;
use crate::i18n::LabelIn;
use crate::model::permissions::Action;
use crate::model::*;
use crate::pages::errors::NotFoundPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RequestDetailPage() -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <Title text=tr!(l, "request-title")/>
        <RequestDetail/>
    }
}

#[component]
fn RequestDetail() -> impl IntoView {
    let l = crate::i18n::use_locale();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let request = Resource::new(id, get_request);
    // Only the receiving side cross-checks; made here, not in the panel, so it is fetched once per page.
    // It waits for the request inside its fetcher rather than reading it in its source: while the server
    // renders, a source read before the request has loaded answers "not the recipient", and the page went
    // out with an empty panel.
    let cross = Resource::new(id, move |_| async move {
        match request.await {
            Ok(r) if r.viewer_is_recipient => cross_check(r.summary.id).await.map(Some),
            _ => Ok(None),
        }
    });

    view! {
        <Guard action=Action::WorkCases>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "request-loading")}</p> }>
                {move || Suspend::new(async move {
                    match request.await {
                        Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                        Ok(r) => {
                            let s = r.summary.clone();
                            let rid = s.id;
                            let has = |a: &str| r.actions.iter().any(|x| x == a);
                            let simple: [(&str, &str, String); 5] = [
                                ("send", SendRequest::PATH, tr!(l, "req-send")),
                                ("approve", ApproveRequest::PATH, tr!(l, "req-approve-send")),
                                ("acknowledge", AcknowledgeRequest::PATH, tr!(l, "req-acknowledge")),
                                ("close", CloseRequest::PATH, tr!(l, "req-close")),
                                ("withdraw", WithdrawRequest::PATH, tr!(l, "req-withdraw")),
                            ];
                            // "Acknowledged: not yet" only while an acknowledgement is still awaited.
                            let show_acknowledged = r.acknowledged.is_some() || s.status == RequestStatus::Sent;
                            view! {
                                <Title text=s.subject.clone()/>
                                <p translate="no"><a href=format!("/cases/{}", s.case_id)>"← " <span class="mono">{s.case_reference.clone()}</span> " " {r.case_title.clone()}</a></p>
                                <header class="case-header">
                                    <p class="muted">{s.kind.label_in(l)} " · " <span translate="no">{r.from_agency.name.clone()} " (" {r.from_agency.code.clone()} ") → " {r.to_agency.name.clone()} " (" {r.to_agency.code.clone()} ")"</span></p>
                                    <h1 translate="no">{s.subject.clone()}</h1>
                                    <div class="badges">
                                        <TlpBadge tlp=s.tlp/>
                                        <RequestStatusBadge status=s.status/>
                                        <PriorityBadge priority=s.priority/>
                                    </div>
                                    <dl class="facts inline-facts">
                                        <dt>{tr!(l, "col-due")}</dt><dd><DeadlineText deadline=s.deadline.clone()/></dd>
                                        <dt>{tr!(l, "req-sent")}</dt><dd>{r.sent.as_ref().map(|t| t.text.clone()).unwrap_or_else(|| tr!(l, "req-not-sent"))}</dd>
                                        {show_acknowledged.then(|| view! {
                                            <dt>{tr!(l, "req-acknowledged")}</dt>
                                            <dd>{match (&r.acknowledged, &r.acknowledged_by) {
                                                (Some(t), Some(by)) => tr!(l, "req-acknowledged-by", when = t.text.clone(), who = by.clone()),
                                                _ => tr!(l, "req-not-yet"),
                                            }}</dd>
                                        })}
                                        {r.decline_reason.clone().map(|reason| view! { <dt>{tr!(l, "req-declined")}</dt><dd translate="no">{reason}</dd> })}
                                    </dl>
                                    <div class="actions">
                                        {simple.into_iter().filter(|(name, _, _)| has(name)).map(|(name, path, label)| view! {
                                            <ServerForm action=path class="inline">
                                                <input type="hidden" name="id" value=rid/>
                                                <button type="submit" class=if name == "withdraw" { "button danger" } else { "button primary" }>{label}</button>
                                            </ServerForm>
                                        }).collect_view()}
                                    </div>
                                </header>
                                <div class="columns">
                                    <div>
                                        <section class="panel" aria-labelledby="ask-h">
                                            <h2 id="ask-h">{tr!(l, "request-title")}</h2>
                                            <p class="prewrap" translate="no">{r.body.clone()}</p>
                                            {r.directly_available.then(|| view! { <p class="muted">{tr!(l, "req-directly-marked")}</p> })}
                                            <AttachmentList files=r.attachments.clone()/>
                                        </section>
                                        <section class="panel" aria-labelledby="thread-h">
                                            <h2 id="thread-h">{tr!(l, "req-responses")}</h2>
                                            {if r.responses.is_empty() {
                                                view! { <p class="muted">{tr!(l, "req-no-response")}</p> }.into_any()
                                            } else {
                                                view! { <ol class="thread">{r.responses.iter().map(|resp| view! { <ResponseItem response=resp.clone()/> }).collect_view()}</ol> }.into_any()
                                            }}
                                        </section>
                                    </div>
                                    <div>
                                        {r.viewer_is_recipient.then(|| view! { <CrossCheckPanel result=cross/> })}
                                        {(has("respond") || has("clarify")).then(|| view! { <RespondForm request=r.clone()/> })}
                                        {has("decline").then(|| view! { <DeclineForm id=rid/> })}
                                    </div>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// What the recipient's side already holds on the people, companies, vessels and indicators of the
/// request, so duplicates and links are found before answering. Loaded after the request itself.
#[component]
fn CrossCheckPanel(result: Resource<Result<Option<CrossCheckView>, AppError>>) -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <section class="panel" aria-labelledby="xcheck-h">
            <h2 id="xcheck-h">{tr!(l, "xcheck-title")}</h2>
            <Suspense fallback=move || view! { <p class="loading">{tr!(l, "xcheck-loading")}</p> }>
                {move || Suspend::new(async move {
                    match result.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message_in(crate::i18n::use_locale())}</p> }.into_any(),
                        Ok(None) => view! { <p class="loading">{tr!(l, "xcheck-loading")}</p> }.into_any(),
                        Ok(Some(x)) if x.looked_for.is_empty() => view! {
                            <p class="muted">{tr!(l, "xcheck-nothing")}</p>
                        }.into_any(),
                        Ok(Some(x)) => {
                            let looked = x.looked_for.join("; ");
                            if x.matches.is_empty() {
                                view! { <p class="empty">{tr!(l, "xcheck-no-match", looked = looked)}</p> }.into_any()
                            } else {
                                view! {
                                    <p><strong>{tr!(l, "xcheck-matches", count = x.matches.len() as i64)}</strong> " " {tr!(l, "xcheck-where")}</p>
                                    <ul class="plain xcheck">
                                        {x.matches.into_iter().map(|m| view! {
                                            <li>
                                                <span class="xcheck-what" translate="no">{m.matched}</span>
                                                <a href=m.link translate="no"><span class="mono">{m.case_reference}</span> " " {m.case_title}</a>
                                                <span class="muted small xcheck-found">" — " {m.found_as}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                    <details class="small muted"><summary>{tr!(l, "xcheck-what")}</summary><p class="xcheck-looked">{looked}</p></details>
                                }.into_any()
                            }
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ResponseItem(response: ResponseView) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let grading = match (response.source_grade, response.info_grade) {
        (Some(s), Some(i)) => Some(format!("{}{}", s.as_str(), i.as_str())),
        _ => None,
    };
    let title = match (response.source_grade, response.info_grade) {
        (Some(s), Some(i)) => tr!(l, "resp-grading-title", source = s.label_in(l), info = i.label_in(l)),
        _ => String::new(),
    };
    view! {
        <li class="response">
            <div class="response-head">
                <strong>{response.kind.label_in(l)}</strong>
                " · " <span translate="no">{response.author.clone()} " (" {response.agency.clone()} ")"</span> " · "
                <time datetime=response.created.at.to_rfc3339()>{response.created.text.clone()}</time>
                " " <TlpBadge tlp=response.tlp/>
                {grading.map(|g| view! { " " <span class="grading" title=title.clone()>{tr!(l, "resp-grading", grade = g)}</span> })}
            </div>
            <p class="prewrap" translate="no">{response.body.clone()}</p>
            {(!response.attachments.is_empty()).then(|| view! { <AttachmentList files=response.attachments.clone()/> })}
        </li>
    }
}

#[component]
fn RespondForm(request: RequestView) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let kinds: Vec<(String, String)> = if request.viewer_is_recipient {
        [ResponseKind::FinalAnswer, ResponseKind::PartialAnswer, ResponseKind::ClarificationRequest, ResponseKind::Refusal]
            .iter()
            .map(|k| (k.as_str().to_string(), k.label_in(l)))
            .collect()
    } else {
        vec![(ResponseKind::Clarification.as_str().to_string(), ResponseKind::Clarification.label_in(l))]
    };
    // The sender answers a clarification the recipient asked for, or adds one of their own.
    let heading = if request.viewer_is_recipient {
        tr!(l, "resp-respond")
    } else if request.responses.last().is_some_and(|r| r.kind == ResponseKind::ClarificationRequest) {
        tr!(l, "resp-answer-clarification")
    } else {
        tr!(l, "resp-add-clarification")
    };
    let tlps: Vec<(String, String)> =
        Tlp::ALL.iter().filter(|t| **t >= request.summary.tlp).map(|t| (t.as_str().to_string(), t.label().to_string())).collect();
    let case_id = request.summary.case_id;
    let request_id = request.summary.id;
    view! {
        <section class="panel" aria-labelledby="respond-h">
            <h2 id="respond-h">{heading}</h2>
            <ServerForm action=RespondToRequest::PATH done=tr!(l, "resp-sent")>
                <input type="hidden" name="id" value=request_id/>
                <SelectField label=tr!(l, "resp-kind") name="kind" options=kinds/>
                <TextArea label=tr!(l, "resp-body") name="body" rows=8 required=true/>
                {request.viewer_is_recipient.then(|| view! {
                    <fieldset class="grading-fields">
                        <legend>{tr!(l, "resp-grading-legend")}</legend>
                        <SelectField label=tr!(l, "resp-source") name="source_grade" options=enum_options(SourceGrade::ALL, SourceGrade::as_str, |g| g.label_in(l), Some(&tr!(l, "choose")))/>
                        <SelectField label=tr!(l, "resp-info") name="info_grade" options=enum_options(InfoGrade::ALL, InfoGrade::as_str, |g| g.label_in(l), Some(&tr!(l, "choose")))/>
                    </fieldset>
                })}
                <SelectField label=tr!(l, "resp-tlp") name="tlp" options=tlps selected=request.summary.tlp.as_str().to_string()/>
                // The files it uploads wait in this form (field `attachments`) until the response is sent.
                <FileUpload case_id request_id=request_id label=tr!(l, "resp-attach") id="response-upload" l/>
                <button type="submit" class="button primary">{tr!(l, "resp-send")}</button>
            </ServerForm>
        </section>
    }
}

#[component]
fn DeclineForm(id: i64) -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <section class="panel" aria-labelledby="decline-h">
            <details>
                <summary class="button secondary" id="decline-h">{tr!(l, "decline-open")}</summary>
                <ServerForm action=DeclineRequest::PATH done=tr!(l, "decline-done")>
                    <input type="hidden" name="id" value=id/>
                    <TextArea label=tr!(l, "decline-grounds") name="reason" rows=4 required=true/>
                    <button type="submit" class="button danger">{tr!(l, "decline-submit")}</button>
                </ServerForm>
            </details>
        </section>
    }
}
