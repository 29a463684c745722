//! Forms as they are posted: every field exactly as the user typed or chose it. The server parses each into
//! its typed input at the edge (`CaseInput::parse`, `RequestInput::parse`, ...), which reports every bad
//! field at once; nothing behind that edge sees these strings. The fields are posted flat (`title=...`),
//! under the names the page's inputs carry, and an absent field reads as empty.

use serde::{Deserialize, Serialize};

/// A case's fields (new case and edit).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseForm {
    pub title: String,
    pub summary: String,
    // Kept as typed, so a refused form gives back what was sent; described by the set it must be one of.
    #[cfg_attr(feature = "ssr", schema(value_type = super::Category))]
    pub category: String,
    #[cfg_attr(feature = "ssr", schema(value_type = super::Priority))]
    pub priority: String,
    #[cfg_attr(feature = "ssr", schema(value_type = super::Tlp))]
    pub tlp: String,
    /// The lead officer's user id.
    pub lead: String,
    /// Agency codes, separated by commas, spaces or lines; or, from the page's ticked boxes (`parties[]`), a
    /// list of them.
    #[serde(deserialize_with = "text_or_list")]
    pub parties: String,
    /// Case references, separated the same way.
    pub links: String,
}

/// A field that comes as a text ("CBI, NCB", as the API sends it) or as a list (checkboxes named `field[]`,
/// as the pages send them), kept as the text the parser reads.
fn text_or_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextOrList {
        Text(String),
        List(Vec<String>),
    }
    Ok(match TextOrList::deserialize(d)? {
        TextOrList::Text(text) => text,
        TextOrList::List(list) => list.join(","),
    })
}

/// A new request.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub priority: String,
    pub tlp: String,
    /// A ticked checkbox ("true", "on" or "yes").
    pub directly_available: String,
    /// The agency asked, by code.
    pub to_agency: String,
    /// A local date-time in the sender's zone ("2026-11-25T14:00"), or empty for the default deadline.
    pub due: String,
    /// "draft" saves without sending; anything else sends at once.
    pub intent: String,
    /// The legal basis, by its code in the sender's country's list ("police", "mla_treaty"...).
    pub legal_basis: String,
    pub legal_basis_note: String,
    /// A ticked checkbox: what is asked for is meant as evidence in court.
    pub for_court: String,
    /// The formal mutual-legal-assistance request's reference, once known.
    pub mla_reference: String,
    /// Handling conditions: ticked checkboxes, and H3's words (empty: no H3).
    pub h0: String,
    pub h1: String,
    pub h2: String,
    pub h3: String,
}

/// A response in a request's thread.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseForm {
    pub kind: String,
    pub body: String,
    pub source_grade: String,
    pub info_grade: String,
    pub tlp: String,
    /// Ids of files this user uploaded to the request for this response, separated by commas.
    pub attachments: String,
    /// Handling conditions, as on the request form.
    pub h0: String,
    pub h1: String,
    pub h2: String,
    pub h3: String,
}

/// Consent asked of a response's provider.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsentForm {
    pub response_id: String,
    /// judicial, pass_on or other.
    pub purpose: String,
    /// For passing on: the agency's code.
    pub pass_to: String,
    pub reason: String,
}

/// The provider's answer to a consent request.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsentAnswerForm {
    pub id: String,
    /// granted, partly_granted or refused.
    pub decision: String,
    /// The conditions of a grant, the grounds of a refusal.
    pub answer: String,
}

/// A legal basis added to the admin's country's list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LegalBasisForm {
    pub code: String,
    pub label: String,
    /// A ticked checkbox: a formal mutual-legal-assistance basis.
    pub formal_mla: String,
}

/// An indicator added by hand.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndicatorForm {
    pub kind: String,
    pub value: String,
    pub tlp: String,
    /// Dates as "2026-11-25", or empty.
    pub first_seen: String,
    pub last_seen: String,
    pub note: String,
    /// Handling conditions, as on the response form.
    pub h0: String,
    pub h1: String,
    pub h2: String,
    pub h3: String,
}

/// A person, company or vessel named in a case.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntityForm {
    pub kind: String,
    pub name: String,
    pub identifier: String,
    pub note: String,
}

/// How long one category's closed cases are kept before review, as the country's admin sets it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionPeriodForm {
    /// A category's code, or "*" for every category without its own.
    pub category: String,
    /// Whole years, 1 to 100; empty for a category to follow the country's default again.
    pub years: String,
}

/// A retention review's decision on one case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionForm {
    pub case_id: String,
    /// keep or purge.
    pub decision: String,
    /// For keep: a date, "2031-12-31".
    pub keep_until: String,
    pub reason: String,
}
