//! One request: what was asked, its deadline and state, the thread of responses, and what the viewer
//! may do now (acknowledge, respond with grading and files, decline, withdraw, close).

use super::case_detail::AttachmentList;
use crate::api::conditions::{AnswerConsent, AskConsent, PassOnResponse, SetMlaReference, WithdrawConsent};
use crate::api::requests::{
    cross_check, get_request, AcknowledgeRequest, ApproveRequest, CloseRequest, DeclineRequest, RespondToRequest, SendRequest,
    WithdrawRequest,
};
use crate::components::badges::{ConditionsBadges, DeadlineText, PriorityBadge, RequestStatusBadge, TlpBadge};
use crate::components::forms::{enum_options, ConditionsFields, Field, SelectField, TextArea};
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
                                    <LegalBasisFacts request=r.clone()/>
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
                                        {(!r.passed_on.is_empty()).then(|| view! {
                                            <section class="panel" aria-labelledby="passed-h">
                                                <h2 id="passed-h">{tr!(l, "pass-heading")}</h2>
                                                <ol class="thread">
                                                    {r.passed_on.iter().map(|p| view! {
                                                        <li class="passed-on">
                                                            <p class="muted small">{tr!(l, "pass-from", who = p.passed_by.clone(), when = p.passed.text.clone())}</p>
                                                            <ResponseItem response=p.response.clone() targets=Vec::new()/>
                                                        </li>
                                                    }).collect_view()}
                                                </ol>
                                            </section>
                                        })}
                                        <section class="panel" aria-labelledby="thread-h">
                                            <h2 id="thread-h">{tr!(l, "req-responses")}</h2>
                                            {if r.responses.is_empty() {
                                                view! { <p class="muted">{tr!(l, "req-no-response")}</p> }.into_any()
                                            } else {
                                                view! { <ol class="thread">{r.responses.iter().map(|resp| view! { <li class="response-wrap"><ResponseItem response=resp.clone() targets=r.pass_on_targets.clone()/></li> }).collect_view()}</ol> }.into_any()
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

/// What the request rests on in law, and the conditions on its own content (the least its answers carry).
#[component]
fn LegalBasisFacts(request: RequestView) -> impl IntoView {
    let l = crate::i18n::use_locale();
    view! {
        <dl class="facts legal-basis">
            <dt>{tr!(l, "lb-basis")}</dt>
            <dd>{match &request.legal_basis {
                Some(b) => view! {
                    <span translate="no">{b.label.clone()}</span>
                    {b.formal_mla.then(|| view! { " " <span class="lb-formal">{tr!(l, "lb-formal")}</span> })}
                }.into_any(),
                None => view! { <span class="muted">{tr!(l, "lb-not-recorded")}</span> }.into_any(),
            }}
            {(!request.legal_basis_note.is_empty()).then(|| view! { <p class="prewrap small" translate="no">{request.legal_basis_note.clone()}</p> })}
            </dd>
            {request.for_court.then(|| view! {
                <dt>{tr!(l, "lb-court")}</dt>
                <dd class="court-flag">
                    {tr!(l, "lb-court-needs-mla")}
                    " " {if request.mla_reference.is_empty() {
                        view! { <span class="muted">{tr!(l, "lb-mla-none")}</span> }.into_any()
                    } else {
                        view! { <span>{tr!(l, "lb-mla-reference")} ": "</span> <span class="mono" translate="no">{request.mla_reference.clone()}</span> }.into_any()
                    }}
                    {request.may_set_mla_reference.then(|| view! {
                        <details class="mla-reference">
                            <summary class="button secondary">{tr!(l, "lb-mla-set")}</summary>
                            <ServerForm action=SetMlaReference::PATH done=tr!(l, "lb-mla-saved")>
                                <input type="hidden" name="id" value=request.summary.id/>
                                <Field form="mla" label=tr!(l, "lb-mla-reference") name="reference" field="mla_reference" value=request.mla_reference.clone()/>
                                <button type="submit" class="button primary">{tr!(l, "lb-mla-save")}</button>
                            </ServerForm>
                        </details>
                    })}
                </dd>
            })}
            <dt>{tr!(l, "cond-facts")}</dt>
            <dd>{if request.conditions.is_empty() {
                view! { <span class="muted">{tr!(l, "cond-none")}</span> }.into_any()
            } else {
                view! { <ConditionsBadges conditions=request.conditions.clone()/> }.into_any()
            }}</dd>
        </dl>
    }
}

#[component]
fn ResponseItem(response: ResponseView, targets: Vec<RequestChoice>) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let grading = match (response.source_grade, response.info_grade) {
        (Some(s), Some(i)) => Some(format!("{}{}", s.as_str(), i.as_str())),
        _ => None,
    };
    let title = match (response.source_grade, response.info_grade) {
        (Some(s), Some(i)) => tr!(l, "resp-grading-title", source = s.label_in(l), info = i.label_in(l)),
        _ => String::new(),
    };
    let may_pass_on = response.may_ask_pass_on && !targets.is_empty();
    // What the provider's consent has lifted, and for what: "H1", "H2 → CBSA". A grant to another holder
    // (the case's owner, say) lifts nothing for this side, but passing on to the agency named is lifted.
    let lifted: Vec<String> = response
        .consents
        .iter()
        .filter(|k| k.status.lifts() && (k.asked_by_my_side || k.purpose == ConsentPurpose::PassOn))
        .map(|k| match (k.purpose, &k.pass_to) {
            (ConsentPurpose::Judicial, _) => "H1".to_string(),
            (ConsentPurpose::PassOn, Some(to)) => format!("H2 → {to}"),
            (ConsentPurpose::Export, _) => tr!(l, "consent-export-code"),
            _ => "H3".to_string(),
        })
        .collect();
    view! {
        <article class="response" id=format!("response-{}", response.id)>
            <div class="response-head">
                <strong>{response.kind.label_in(l)}</strong>
                " · " <span translate="no">{response.author.clone()} " (" {response.agency.clone()} ")"</span> " · "
                <time datetime=response.created.at.to_rfc3339()>{response.created.text.clone()}</time>
                " " <TlpBadge tlp=response.tlp/>
                {grading.map(|g| view! { " " <span class="grading" title=title.clone()>{tr!(l, "resp-grading", grade = g)}</span> })}
                {(!response.conditions.is_empty()).then(|| view! { " " <ConditionsBadges conditions=response.conditions.clone()/> })}
            </div>
            {(!lifted.is_empty()).then(|| view! { <p class="cond-lifted">{tr!(l, "cond-lifted", codes = lifted.join(", "))}</p> })}
            <p class="prewrap" translate="no">{response.body.clone()}</p>
            {(!response.attachments.is_empty()).then(|| view! { <AttachmentList files=response.attachments.clone()/> })}
            {(!response.consents.is_empty()).then(|| view! {
                <ul class="plain consents" aria-label=tr!(l, "consent-list")>
                    {response.consents.iter().map(|k| view! { <ConsentItem consent=k.clone()/> }).collect_view()}
                </ul>
            })}
            {response.may_ask_consent.then(|| view! { <AskConsentForm response=response.clone()/> })}
            {may_pass_on.then(|| view! { <PassOnForm response_id=response.id targets=targets.clone()/> })}
        </article>
    }
}

/// One consent asked about a response: what for, the provider's answer or its deadline, and what the
/// viewer may do about it.
#[component]
fn ConsentItem(consent: ConsentView) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let what = match &consent.pass_to {
        Some(to) => tr!(l, "consent-pass-to", agency = to.clone()),
        None => consent.purpose.label_in(l),
    };
    let status_class = match consent.status {
        ConsentStatus::Granted | ConsentStatus::PartlyGranted => "badge consent-granted",
        ConsentStatus::Refused => "badge consent-refused",
        _ => "badge",
    };
    let id = consent.id;
    view! {
        <li class="consent">
            <p>
                <strong>{tr!(l, "consent-asked-for", what = what)}</strong>
                " " <span class=status_class>{consent.status.label_in(l)}</span>
            </p>
            <p class="muted small">
                <span translate="no">{tr!(l, "consent-asked-by", who = consent.asked_by.clone(), agency = consent.asked_by_agency.clone(), when = consent.asked.text.clone())}</span>
            </p>
            <p class="prewrap small" translate="no">{consent.reason.clone()}</p>
            {if consent.status == ConsentStatus::Asked {
                view! { <p class="small consent-due"><span>{tr!(l, "consent-due")}</span> <DeadlineText deadline=Some(consent.deadline.clone())/></p> }.into_any()
            } else {
                view! {
                    <p class="small">
                        {consent.answered.as_ref().map(|t| tr!(l, "consent-answered-by", who = consent.answered_by.clone().unwrap_or_default(), when = t.text.clone()))}
                    </p>
                    {(!consent.answer.is_empty()).then(|| view! { <p class="prewrap consent-answer" translate="no">{consent.answer.clone()}</p> })}
                }.into_any()
            }}
            {consent.may_answer.then(|| view! {
                <details class="consent-answer-form">
                    <summary class="button primary">{tr!(l, "consent-answer")}</summary>
                    <ServerForm action=AnswerConsent::PATH done=tr!(l, "consent-answered")>
                        <input type="hidden" name="id" value=id/>
                        <SelectField form="consent-answer" label=tr!(l, "consent-decision") name="decision"
                            options=enum_options(&ConsentStatus::ANSWERS, ConsentStatus::as_str, |s| s.label_in(l), Some(&tr!(l, "choose")))/>
                        <TextArea form="consent-answer" label=tr!(l, "consent-answer-words") name="answer" rows=3 hint=tr!(l, "consent-answer-hint")/>
                        <button type="submit" class="button primary">{tr!(l, "consent-answer-send")}</button>
                    </ServerForm>
                </details>
            })}
            {consent.may_withdraw.then(|| view! {
                <ServerForm action=WithdrawConsent::PATH class="inline" done=tr!(l, "consent-withdrawn")>
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="button secondary">{tr!(l, "consent-withdraw")}</button>
                </ServerForm>
            })}
        </li>
    }
}

/// Asking the provider for consent: only what the response's conditions restrict is offered.
#[component]
fn AskConsentForm(response: ResponseView) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let c = &response.conditions;
    let purposes: Vec<(String, String)> = [
        (c.h1, ConsentPurpose::Judicial),
        (c.h2 && response.may_ask_pass_on, ConsentPurpose::PassOn),
        (c.h2, ConsentPurpose::Export),
        (c.h3.is_some(), ConsentPurpose::Other),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, p)| (p.as_str().to_string(), p.label_in(l)))
    .collect();
    let asks_pass_on = c.h2 && response.may_ask_pass_on;
    view! {
        <details class="ask-consent">
            <summary class="button secondary">{tr!(l, "consent-ask")}</summary>
            <ServerForm action=AskConsent::PATH done=tr!(l, "consent-asked")>
                <input type="hidden" name="response_id" value=response.id/>
                <SelectField form="consent" label=tr!(l, "consent-purpose") name="purpose" options=purposes/>
                // Only where passing it on may be asked for (the case's owner asks for the rest).
                {asks_pass_on.then(|| view! {
                    <Field form="consent" label=tr!(l, "consent-pass-to-field") name="pass_to" hint=tr!(l, "consent-pass-to-hint")/>
                })}
                <TextArea form="consent" label=tr!(l, "consent-reason") name="reason" rows=3 required=true/>
                <button type="submit" class="button primary">{tr!(l, "consent-ask-send")}</button>
            </ServerForm>
        </details>
    }
}

/// Passing the response's information on with one of the viewer's side's requests (H2 needs consent).
#[component]
fn PassOnForm(response_id: i64, targets: Vec<RequestChoice>) -> impl IntoView {
    let l = crate::i18n::use_locale();
    let options: Vec<(String, String)> =
        std::iter::once((String::new(), tr!(l, "choose"))).chain(targets.into_iter().map(|t| (t.id.to_string(), t.label))).collect();
    view! {
        <details class="pass-on">
            <summary class="button secondary">{tr!(l, "pass-open")}</summary>
            <ServerForm action=PassOnResponse::PATH done=tr!(l, "pass-done")>
                <input type="hidden" name="response_id" value=response_id/>
                <SelectField form=PASS_FORM label=tr!(l, "pass-target") name="request_id" options=options/>
                <p class="hint">{tr!(l, "pass-hint")}</p>
                <button type="submit" class="button primary">{tr!(l, "pass-send")}</button>
            </ServerForm>
        </details>
    }
}

const PASS_FORM: &str = "pass";

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
                <ConditionsFields form="resp" floor=request.conditions.clone()/>
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
