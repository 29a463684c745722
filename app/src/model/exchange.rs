//! Cases, requests, responses, attachments and indicators as the browser sees them, and their closed sets.

use super::{text_enum, Country};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

text_enum!(Category {
    CyberIncident => ("cyber_incident", "Cyber incident"),
    Ransomware => ("ransomware", "Ransomware"),
    DrugPrecursors => ("drug_precursors", "Drug precursors"),
    OrganisedCrime => ("organised_crime", "Organised crime"),
    Fraud => ("fraud", "Fraud"),
    Immigration => ("immigration", "Immigration"),
    ViolentExtremism => ("violent_extremism", "Violent extremism"),
    Other => ("other", "Other"),
});

text_enum!(
    /// Ordered most to least pressing, so `Priority::Urgent < Priority::Low`.
    Priority {
        Urgent => ("urgent", "Urgent"),
        High => ("high", "High"),
        Normal => ("normal", "Normal"),
        Low => ("low", "Low"),
    }
);

text_enum!(CaseStatus {
    Open => ("open", "Open"),
    Active => ("active", "Active"),
    Closed => ("closed", "Closed"),
    Archived => ("archived", "Archived"),
});

text_enum!(
    /// Traffic Light Protocol 2.0, ordered least to most restrictive.
    Tlp {
        Clear => ("clear", "TLP:CLEAR"),
        Green => ("green", "TLP:GREEN"),
        Amber => ("amber", "TLP:AMBER"),
        AmberStrict => ("amber_strict", "TLP:AMBER+STRICT"),
        Red => ("red", "TLP:RED"),
    }
);

text_enum!(RequestKind {
    Information => ("information", "Information request"),
    Assistance => ("assistance", "Assistance request"),
    EvidencePreservation => ("evidence_preservation", "Evidence preservation"),
    IntelligenceShare => ("intelligence_share", "Intelligence share"),
    Clarification => ("clarification", "Request for clarification"),
});

text_enum!(RequestStatus {
    Draft => ("draft", "Draft"),
    AwaitingApproval => ("awaiting_approval", "Awaiting approval"),
    Sent => ("sent", "Sent"),
    Acknowledged => ("acknowledged", "Acknowledged"),
    InProgress => ("in_progress", "In progress"),
    Answered => ("answered", "Answered"),
    Closed => ("closed", "Closed"),
    Declined => ("declined", "Declined"),
    Withdrawn => ("withdrawn", "Withdrawn"),
});

text_enum!(ResponseKind {
    PartialAnswer => ("partial_answer", "Partial answer"),
    FinalAnswer => ("final_answer", "Final answer"),
    ClarificationRequest => ("clarification_request", "Clarification asked"),
    Clarification => ("clarification", "Clarification given"),
    Refusal => ("refusal", "Refusal with grounds"),
});

impl ResponseKind {
    /// Responses that provide information carry a 4x4 grading.
    pub fn carries_information(self) -> bool {
        matches!(self, ResponseKind::PartialAnswer | ResponseKind::FinalAnswer)
    }
}

text_enum!(
    /// What a consent asked of a provider is for: each lifts one handling condition.
    ConsentPurpose {
        Judicial => ("judicial", "Use in judicial proceedings (H1)"),
        PassOn => ("pass_on", "Pass on to another agency (H2)"),
        Export => ("export", "Export outside Liaison Desk (H2)"),
        Other => ("other", "As the other restrictions say (H3)"),
    }
);

text_enum!(ConsentStatus {
    Asked => ("asked", "Awaiting the provider's answer"),
    Granted => ("granted", "Granted"),
    PartlyGranted => ("partly_granted", "Partly granted"),
    Refused => ("refused", "Refused"),
    Withdrawn => ("withdrawn", "Withdrawn"),
});

impl ConsentStatus {
    /// The provider's answers (what `answer_consent` accepts).
    pub const ANSWERS: [ConsentStatus; 3] = [ConsentStatus::Granted, ConsentStatus::PartlyGranted, ConsentStatus::Refused];

    /// A grant, whole or in part, lifts the condition for the purpose asked.
    pub fn lifts(self) -> bool {
        matches!(self, ConsentStatus::Granted | ConsentStatus::PartlyGranted)
    }
}

/// Handling conditions (Europol's SIENA codes) that travel with information beside TLP: H0 only to prevent
/// and combat crime; H1 not in judicial proceedings without the provider's permission; H2 not passed on
/// without it; H3 other restrictions, in the provider's words.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conditions {
    pub h0: bool,
    pub h1: bool,
    pub h2: bool,
    pub h3: Option<String>,
}

impl Conditions {
    pub fn is_empty(&self) -> bool {
        !self.h0 && !self.h1 && !self.h2 && self.h3.is_none()
    }

    /// The codes set, in order ("H0", "H2"...).
    pub fn codes(&self) -> Vec<&'static str> {
        [(self.h0, "H0"), (self.h1, "H1"), (self.h2, "H2"), (self.h3.is_some(), "H3")]
            .into_iter()
            .filter_map(|(on, code)| on.then_some(code))
            .collect()
    }

    /// At least as strict as `floor`: every condition `floor` sets is set here too (H3's words may differ).
    pub fn covers(&self, floor: &Conditions) -> bool {
        (self.h0 || !floor.h0) && (self.h1 || !floor.h1) && (self.h2 || !floor.h2) && (self.h3.is_some() || floor.h3.is_none())
    }

    /// Every condition of either (for a banner over many records: the strictest of them all). H3 keeps the
    /// first words found: a banner names the code, the records say their own words.
    pub fn union(&self, other: &Conditions) -> Conditions {
        Conditions {
            h0: self.h0 || other.h0,
            h1: self.h1 || other.h1,
            h2: self.h2 || other.h2,
            h3: self.h3.clone().or_else(|| other.h3.clone()),
        }
    }
}

text_enum!(SourceGrade {
    A => ("A", "A: no doubt about the source"),
    B => ("B", "B: source mostly reliable"),
    C => ("C", "C: source not reliable"),
    X => ("X", "X: reliability cannot be judged"),
});

text_enum!(InfoGrade {
    One => ("1", "1: known true without reservation"),
    Two => ("2", "2: known personally to the source"),
    Three => ("3", "3: not known personally, corroborated"),
    Four => ("4", "4: cannot be judged"),
});

text_enum!(IndicatorKind {
    Ipv4 => ("ipv4", "IPv4 address"),
    Ipv6 => ("ipv6", "IPv6 address"),
    Domain => ("domain", "Domain"),
    Url => ("url", "URL"),
    Md5 => ("md5", "MD5 hash"),
    Sha1 => ("sha1", "SHA-1 hash"),
    Sha256 => ("sha256", "SHA-256 hash"),
    Email => ("email", "Email address"),
    CryptoWallet => ("crypto_wallet", "Crypto wallet"),
});

text_enum!(EntityKind {
    Person => ("person", "Person"),
    Company => ("company", "Company"),
    Vessel => ("vessel", "Vessel"),
});

impl EntityKind {
    /// What the identifier field holds for this kind, for the form's hint and the listing.
    pub fn identifier_hint(self) -> &'static str {
        match self {
            EntityKind::Person => "Date of birth or passport number",
            EntityKind::Company => "Registration number",
            EntityKind::Vessel => "IMO number",
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgencyRef {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub country: Country,
}

/// A time shown in the viewer's zone, with the zone named, plus the instant for `<time datetime>`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShownTime {
    pub at: DateTime<Utc>,
    pub text: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Deadline {
    pub due: ShownTime,
    /// The same instant in the counterpart's capital ("03:30 EST"), for "due 14:00 IST / 03:30 EST".
    pub other_zone: String,
    pub overdue: bool,
    /// What remains while the request is open (None once it is answered, closed…); shown in the reader's
    /// language: "in 5 h 20 min", "overdue by 2 d 3 h".
    pub remaining: Option<Remaining>,
}

/// Time left before a deadline, or past it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remaining {
    /// Whole minutes, never negative.
    pub minutes: i64,
    pub overdue: bool,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub category: Category,
    pub priority: Priority,
    pub status: CaseStatus,
    pub tlp: Tlp,
    pub owner_agency: String,
    pub lead_name: String,
    pub updated: ShownTime,
    pub open_requests: i64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub summary: String,
    pub category: Category,
    pub priority: Priority,
    pub status: CaseStatus,
    pub tlp: Tlp,
    pub owner_agency: AgencyRef,
    pub lead_user_id: i64,
    pub lead_name: String,
    pub parties: Vec<AgencyRef>,
    pub links: Vec<CaseLinkView>,
    pub requests: Vec<RequestSummary>,
    pub indicators: Vec<IndicatorView>,
    /// How many of those the viewer may not export: under H2, from another side
    /// (`indicators::held_from_export`).
    pub indicators_held: i64,
    pub entities: Vec<EntityView>,
    pub attachments: Vec<AttachmentView>,
    pub version: i64,
    pub created: ShownTime,
    pub updated: ShownTime,
    pub updated_by: String,
    /// What the viewer may do here (the server checks again on every call).
    pub can_edit: bool,
    pub allowed_transitions: Vec<CaseStatus>,
    /// Whether new requests may be made on the case (it is open or active: `rules::CaseCurrent`).
    pub accepts_requests: bool,
    /// Set once the case has been purged on retention review: its content is gone.
    pub purged: Option<PurgeNote>,
    /// When its country's supervisors review it next (closed cases).
    pub review: Option<ShownTime>,
    /// Answers under H2 that hold its export (the PDF report) back from the viewer until their providers
    /// consent (`consents::held_from_export`).
    pub export_held: Vec<HeldBack>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseLinkView {
    pub id: i64,
    pub reference: String,
    pub title: String,
}

/// A case the related-cases look-up offers: its reference (what the form sends) and its title.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseChoice {
    pub reference: String,
    pub title: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: i64,
    pub case_id: i64,
    pub case_reference: String,
    pub kind: RequestKind,
    pub subject: String,
    pub priority: Priority,
    pub tlp: Tlp,
    pub status: RequestStatus,
    pub from_agency: String,
    pub to_agency: String,
    pub deadline: Option<Deadline>,
    pub category: Category,
    /// Conditions on the request's own content.
    pub conditions: Conditions,
    /// The legal basis's name (None for requests made before legal bases were recorded).
    pub legal_basis: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestView {
    pub summary: RequestSummary,
    pub case_title: String,
    pub body: String,
    pub directly_available: bool,
    pub from_agency: AgencyRef,
    pub to_agency: AgencyRef,
    pub sent: Option<ShownTime>,
    pub acknowledged: Option<ShownTime>,
    pub acknowledged_by: Option<String>,
    pub decline_reason: Option<String>,
    /// What the request rests on in law (None only for requests made before legal bases were recorded).
    pub legal_basis: Option<LegalBasisView>,
    pub legal_basis_note: String,
    /// Meant as evidence in court: a formal mutual-legal-assistance request is needed.
    pub for_court: bool,
    pub mla_reference: String,
    /// The viewer's side sent it and may record the formal request's reference.
    pub may_set_mla_reference: bool,
    /// Conditions on the request's own content, and the least its answers carry.
    pub conditions: Conditions,
    pub responses: Vec<ResponseView>,
    /// Information from other threads passed on with this request.
    pub passed_on: Vec<PassedOnView>,
    /// The viewer's side's requests that a response here may be passed on with.
    pub pass_on_targets: Vec<RequestChoice>,
    pub attachments: Vec<AttachmentView>,
    /// Actions the viewer may take now, by name ("acknowledge", "respond", "decline", "withdraw", "close", "send").
    pub actions: Vec<String>,
    /// Whether the viewer is on the receiving side (decides which response kinds make sense).
    pub viewer_is_recipient: bool,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponseView {
    pub id: i64,
    pub kind: ResponseKind,
    pub body: String,
    pub author: String,
    pub agency: String,
    pub source_grade: Option<SourceGrade>,
    pub info_grade: Option<InfoGrade>,
    pub tlp: Tlp,
    pub created: ShownTime,
    pub attachments: Vec<AttachmentView>,
    pub conditions: Conditions,
    /// Consent asked of the provider to use or pass on what this response gave, oldest first.
    pub consents: Vec<ConsentView>,
    /// Whether the viewer's side may ask the provider for consent (it was given this, with conditions).
    pub may_ask_consent: bool,
    /// Whether they may pass it on, and ask for that (only the agency it was given to; the case's owner
    /// asks for the rest).
    pub may_ask_pass_on: bool,
    /// The agency that gave it (for "pass on to" choices and consent wording).
    pub agency_id: i64,
}

/// How long one category's closed cases are kept before review in the admin's country: its own years, or
/// none to follow the country's default (`category` None is that default).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPeriodView {
    pub category: Option<Category>,
    pub years: Option<i64>,
}

/// A case due for retention review, as its country's supervisors see it in the review list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RetentionItem {
    pub case_id: i64,
    pub reference: String,
    pub title: String,
    pub category: Category,
    pub owner: String,
    pub closed: Option<ShownTime>,
    pub review: ShownTime,
    pub requests: i64,
    /// Persons, companies and vessels named in it.
    pub named: i64,
    pub files: i64,
    /// The reason of the last decision to keep it, if it was kept before.
    pub last_reason: Option<String>,
}

/// What the parties of a purged case read in place of its content.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PurgeNote {
    pub at: ShownTime,
    /// "Name (AGENCY)".
    pub by: String,
    pub reason: String,
}

/// A record naming a person, for a data-protection request: where it is, where it came from, under what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonRecord {
    /// entity, request or response.
    pub kind: String,
    pub case_id: i64,
    pub case_reference: String,
    /// The name as recorded (an entity), or the matched text with hits marked (a request or response).
    pub text: String,
    pub identifier: String,
    /// The agency that recorded or gave it.
    pub source_agency: String,
    pub tlp: Tlp,
    pub conditions: Conditions,
    pub link: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonReport {
    pub name: String,
    pub records: Vec<PersonRecord>,
    /// The name matched more records of some kind than the search looks at: only the newest are listed.
    pub capped: bool,
}

/// A request offered in a choice: its id and "LD-…/R12 → CBSA: subject".
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestChoice {
    pub id: i64,
    pub label: String,
}

/// A legal basis a request may name, from its sender's country's list.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LegalBasisView {
    pub id: i64,
    pub code: String,
    pub label: String,
    /// A formal mutual-legal-assistance basis (what evidence for a court needs).
    pub formal_mla: bool,
    pub retired: bool,
}

/// An answer that holds a case's export back (H2, no consent to export it yet): on request `request_id`,
/// given by `provider`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldBack {
    pub response_id: i64,
    pub request_id: i64,
    pub provider: String,
}

/// Consent asked of a provider, and the answer.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsentView {
    pub id: i64,
    pub response_id: i64,
    pub request_id: i64,
    pub case_reference: String,
    pub purpose: ConsentPurpose,
    /// For passing on: the agency it would go to (code).
    pub pass_to: Option<String>,
    pub reason: String,
    pub asked_by: String,
    pub asked_by_agency: String,
    pub provider_agency: String,
    pub asked: ShownTime,
    pub deadline: Deadline,
    pub status: ConsentStatus,
    pub answer: String,
    pub answered_by: Option<String>,
    pub answered: Option<ShownTime>,
    /// What the viewer may do with it now.
    pub may_answer: bool,
    pub may_withdraw: bool,
    /// Asked by the viewer's side: what it lifts (court use, export, H3) is lifted for them.
    pub asked_by_my_side: bool,
}

/// A response from another thread passed on with a request, with its provider and conditions.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassedOnView {
    /// Its provider and author are in `response`; the thread it came from is not named (it exists only for
    /// its own ends).
    pub response: ResponseView,
    pub passed_by: String,
    pub passed: ShownTime,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub created: ShownTime,
    /// The handling conditions of the response it came with.
    pub conditions: Conditions,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorView {
    pub id: i64,
    pub kind: IndicatorKind,
    pub value: String,
    pub tlp: Tlp,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub note: String,
    /// Set by the agency that added it, beside its TLP.
    pub conditions: Conditions,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityView {
    pub id: i64,
    pub kind: EntityKind,
    pub name: String,
    pub identifier: String,
    pub note: String,
}

/// One record of the viewer's own side that shares something with the request being read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrossMatch {
    /// What is shared, as shown: "Person: Rajesh Sharma", "IPv4 address: 203.0.113.7".
    pub matched: String,
    /// Where it was found: "indicator on the case", "person on the case", "named in request …".
    pub found_as: String,
    pub case_id: i64,
    pub case_reference: String,
    pub case_title: String,
    pub link: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrossCheckView {
    /// What was looked for, so an empty result says what it covered.
    pub looked_for: Vec<String>,
    pub matches: Vec<CrossMatch>,
}

/// One line of a bulk paste, with what became of it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkLine {
    pub line: usize,
    pub input: String,
    pub outcome: String,
    pub added: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The audit event's number (where the next page of older changes starts).
    pub id: i64,
    pub at: ShownTime,
    pub who: String,
    pub agency: String,
    pub action: String,
    pub object: String,
    pub outcome: String,
    /// The event as a sentence in the reader's language (`platform::event_words`).
    pub said: String,
}

/// How many changes and views the case page shows; the case's history page lists every change, this many
/// at a time.
pub const HISTORY_CHANGES_SHOWN: usize = 20;
pub const HISTORY_VIEWS_SHOWN: usize = 10;
pub const HISTORY_PAGE_SIZE: usize = 100;

/// A case's history, from the audit trail: what was done to it (and to what it holds), and apart from
/// that, who looked at it lately. Kept apart because views outnumber changes by far: mixed, a busy week
/// of reading pushed every edit out of sight.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseHistoryView {
    /// The newest changes, exports and downloads, newest first.
    pub changes: Vec<HistoryEntry>,
    /// Whether older changes exist (the audit trail holds them all).
    pub more_changes: bool,
    /// The newest views (opening the case or one of its requests, cross-checks), newest first.
    pub views: Vec<HistoryEntry>,
}

/// Everything the case page shows, read together (one check, one snapshot).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenedCase {
    pub case: CaseView,
    pub history: CaseHistoryView,
    pub options: FormOptions,
}

/// One page of a case's changes, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangesPage {
    pub case_id: i64,
    pub reference: String,
    pub title: String,
    pub changes: Vec<HistoryEntry>,
    /// Where the next page starts (`before`), if older changes exist.
    pub older: Option<i64>,
}

/// Case list status filter for cases still being worked (open or active): what the dashboard counts.
pub const CASES_CURRENT: &str = "current";
/// Request list status filter for requests awaiting an answer (sent, acknowledged, in progress).
pub const REQUESTS_OPEN: &str = "open";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseFilter {
    pub q: String,
    /// A case status, `CASES_CURRENT`, or empty for any but archived.
    pub status: String,
    #[serde(with = "chosen", skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(with = "chosen", skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// Only cases led by this user.
    pub lead: Option<i64>,
    /// Only these cases (the ones ticked in the list, for their CSV), written "1,2,3"; empty for any.
    #[serde(with = "id_list", skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<i64>,
    pub page: u32,
    /// Set by the API's handlers only, never read from a page's query or form: a CSV export or a page's
    /// list is a screen's worth a page, whatever the caller sends.
    #[serde(skip)]
    pub length: PageLength,
}

/// The most cases one bulk change or selection takes: a turnover's worth, small enough that each still gets
/// its own check, transaction and audit event within a request's time.
pub const BULK_MAX_CASES: usize = 500;

/// What a change to many cases did: the references changed, and those not changed with the reason.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BulkReport {
    pub changed: Vec<String>,
    pub not_changed: Vec<BulkRefusal>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkRefusal {
    /// The case's reference, or "#id" for one the user may not see (it is not named back).
    pub reference: String,
    pub reason: String,
}

/// The officers a supervisor may hand cases to: the active officers and supervisors of their country's
/// agencies, each "Name (AGENCY)".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BulkOptions {
    pub leads: Vec<(i64, String)>,
}

impl CaseFilter {
    /// The list's query string with these filters, on `page` (for "more" links and the CSV export).
    pub fn query(&self, page: u32) -> String {
        serde_urlencoded::to_string(CaseFilter { page, ..self.clone() }).unwrap_or_default()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct InboxFilter {
    /// For the request list; the inbox shows both directions apart.
    pub direction: Direction,
    /// Only overdue requests.
    #[serde(with = "flag", skip_serializing_if = "std::ops::Not::not")]
    pub overdue: bool,
    /// Only open requests due within 24 hours.
    #[serde(with = "flag", skip_serializing_if = "std::ops::Not::not")]
    pub due_soon: bool,
    /// A request status, `REQUESTS_OPEN`, or empty for any.
    pub status: String,
    #[serde(with = "chosen", skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    #[serde(with = "chosen", skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    pub counterpart: String,
    /// Only requests in this officer's charge on the viewer's side (`rules::in_charge_sql`); 0: those
    /// received that nobody has taken yet.
    pub officer: Option<i64>,
    /// Only requests the dashboard's timeliness covers over this many days: sent within them, and of a
    /// kind that expects an answer.
    pub window: Option<u32>,
    /// Only requests sent in the week (UTC) starting on this Monday.
    pub sent_week: Option<chrono::NaiveDate>,
    /// Only requests answered in the week (UTC) starting on this Monday, among those the dashboard's
    /// trend covers (sent in its 26 weeks).
    pub answered_week: Option<chrono::NaiveDate>,
    pub page: u32,
    /// Set by the API's handlers only, never read from a page's query or form: a CSV export or a page's
    /// list is a screen's worth a page, whatever the caller sends.
    #[serde(skip)]
    pub length: PageLength,
}

/// Which requests a list holds, seen from the viewer's side.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Incoming,
    Outgoing,
    Both,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Incoming => "incoming",
            Direction::Outgoing => "outgoing",
            Direction::Both => "both",
        }
    }
}

impl Direction {
    /// The list's direction as a link or form gives it: incoming unless it says "outgoing" or "both".
    pub fn from_query(value: Option<&str>) -> Self {
        match value {
            Some("outgoing") => Direction::Outgoing,
            Some("both") => Direction::Both,
            _ => Direction::Incoming,
        }
    }
}

/// A checkbox in a query string: "1" (what links and forms send), "true" or "on" is ticked; absent, empty,
/// "0" or "false" is not. Written as "1".
pub mod flag {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(on: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if *on { "1" } else { "0" })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bool(on) => Ok(on),
            Raw::Text(t) => match t.as_str() {
                "1" | "true" | "on" => Ok(true),
                "" | "0" | "false" => Ok(false),
                other => Err(serde::de::Error::custom(format!("not a yes/no value: {other}"))),
            },
        }
    }
}

/// Ids in a query string as "1,2,3" (a form's repeated names do not survive the query-string formats here).
/// At most `BULK_MAX_CASES`; anything but digits and commas is refused.
pub mod id_list {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ids: &[i64], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
        let text = Option::<String>::deserialize(d)?.unwrap_or_default();
        parse(&text).map_err(serde::de::Error::custom)
    }

    pub fn parse(text: &str) -> Result<Vec<i64>, String> {
        let mut ids: Vec<i64> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (n, part) in text.split(',').map(str::trim).filter(|p| !p.is_empty()).enumerate() {
            // Counted before duplicates go: a list of one id repeated a million times is refused as quickly.
            if n >= super::BULK_MAX_CASES {
                return Err(format!("more than {} cases chosen", super::BULK_MAX_CASES));
            }
            let digits = !part.is_empty() && part.len() <= 18 && part.bytes().all(|b| b.is_ascii_digit());
            let id = part.parse::<i64>().ok().filter(|id| digits && *id > 0).ok_or_else(|| {
                let shown: String = part.chars().take(20).collect();
                format!("not a case number: {shown}")
            })?;
            if seen.insert(id) {
                ids.push(id);
            }
        }
        Ok(ids)
    }
}

/// A choice among a closed set in a query string, where empty means "any": absent or "" is None, a
/// known value Some, anything else an error (a crafted link is refused, not read as "any").
pub mod chosen {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::str::FromStr;

    pub fn serialize<S: Serializer, T: Serialize>(value: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => v.serialize(s),
            None => s.serialize_str(""),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: FromStr>(d: D) -> Result<Option<T>, D::Error> {
        let text = Option::<String>::deserialize(d)?.unwrap_or_default();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| serde::de::Error::custom(format!("not a choice here: {text}")))
    }
}

impl InboxFilter {
    /// The request list's query string with these filters, on `page` (for "more" links and the CSV export).
    pub fn query(&self, page: u32) -> String {
        serde_urlencoded::to_string(InboxFilter { page, ..self.clone() }).unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxView {
    pub incoming: Vec<RequestSummary>,
    /// Consent asked of the viewer's side and not yet answered, earliest due first.
    pub consents: Vec<ConsentView>,
    pub incoming_has_more: bool,
    pub outgoing: Vec<RequestSummary>,
    pub my_cases: Vec<CaseSummary>,
    pub time_zone: String,
    pub counterparts: Vec<AgencyRef>,
}

/// The inbox rendered on the server for its page: the filter form and the lists, as HTML.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxHtml {
    pub filters: String,
    pub lists: String,
}

/// The dashboard's content as HTML, rendered once per country, figures and time zone (render_cache).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardHtml {
    pub title: String,
    pub html: String,
}

pub const PAGE_SIZE: u32 = 25;
/// A system reading by API takes longer pages than a screen shows: fewer calls for the same list.
pub const API_PAGE_SIZE: u32 = 50;

/// How many rows a page of a list holds: a screen's worth on the pages, `API_PAGE_SIZE` for the API.
/// A closed choice rather than a number, so that no caller can ask for a page of any length.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PageLength {
    #[default]
    Screen,
    Api,
}

impl PageLength {
    pub const fn rows(self) -> i64 {
        match self {
            PageLength::Screen => PAGE_SIZE as i64,
            PageLength::Api => API_PAGE_SIZE as i64,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CasePage {
    pub cases: Vec<CaseSummary>,
    pub has_more: bool,
    /// The name of the lead the list is filtered by, if the viewer may know it.
    pub lead_name: Option<String>,
}

/// What the case and request forms offer: agencies (for parties and recipients) and possible leads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormOptions {
    pub agencies: Vec<AgencyRef>,
    /// The legal bases the viewer's country offers for new requests.
    pub legal_bases: Vec<LegalBasisView>,
    pub leads: Vec<(i64, String)>,
    pub my_agency: AgencyRef,
    pub me: i64,
    pub time_zone: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Created {
    pub id: i64,
    pub reference: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// case, request, response or indicator
    pub kind: String,
    pub object_id: i64,
    pub case_id: i64,
    pub case_reference: String,
    pub title: String,
    /// Matched text, with the hits between U+E000 and U+E001.
    pub snippet: String,
    pub link: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// Kinds with more matches than were ranked: only the most recent ones are shown.
    pub capped: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestPage {
    pub requests: Vec<RequestSummary>,
    pub has_more: bool,
    /// The name of the officer the list is filtered by, if the viewer may know it.
    pub officer_name: Option<String>,
    /// The agencies the counterpart filter offers.
    pub counterparts: Vec<AgencyRef>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub link: String,
    pub created: ShownTime,
    pub read: bool,
}

#[cfg(test)]
mod filter_tests {
    use super::*;

    fn read(query: &str) -> Result<InboxFilter, serde_urlencoded::de::Error> {
        serde_urlencoded::from_str(query)
    }

    #[test]
    fn dashboard_links_and_filter_forms_read_as_typed_filters() {
        let f = read("direction=outgoing&overdue=1&priority=high&category=fraud&officer=0").unwrap();
        assert_eq!((f.direction, f.overdue, f.due_soon), (Direction::Outgoing, true, false));
        assert_eq!((f.priority, f.category, f.officer), (Some(Priority::High), Some(Category::Fraud), Some(0)));
        // The filter form sends every select, "any" as empty, and a ticked box as "on" in some browsers.
        let f = read("direction=both&status=&priority=&category=&counterpart=&due_soon=on").unwrap();
        assert_eq!((f.direction, f.priority, f.category, f.due_soon, f.overdue), (Direction::Both, None, None, true, false));
        assert_eq!(read("").unwrap(), InboxFilter::default());
    }

    #[test]
    fn a_crafted_value_is_refused_not_read_as_any() {
        assert!(read("priority=highest").is_err());
        assert!(read("category=%27%20OR%201%3D1").is_err());
        assert!(read("overdue=maybe").is_err());
        assert!(read("direction=sideways").is_err());
    }

    #[test]
    fn a_list_query_reads_back_as_the_same_filter() {
        let f = InboxFilter {
            direction: Direction::Outgoing,
            overdue: true,
            priority: Some(Priority::Urgent),
            category: Some(Category::CyberIncident),
            counterpart: "RCMP".into(),
            page: 2,
            ..InboxFilter::default()
        };
        assert_eq!(read(&f.query(3)).unwrap(), InboxFilter { page: 3, ..f.clone() });
        let c = CaseFilter { priority: Some(Priority::Low), status: CASES_CURRENT.into(), ..CaseFilter::default() };
        assert_eq!(serde_urlencoded::from_str::<CaseFilter>(&c.query(0)).unwrap(), c);
    }
}
