//! STIX 2.1 export of a case's indicators: a bundle with the exporting agency's identity, the TLP 2.0
//! marking definitions (their standard ids), and one indicator object per indicator with its pattern.

use crate::i18n::Locale;
use crate::model::{AgencyRef, Conditions, IndicatorKind, IndicatorView, Tlp};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

/// Namespace for the ids of this system's STIX objects: the same indicator always gets the same id.
const NAMESPACE: Uuid = Uuid::from_u128(0x6c1a_7e02_4f3b_4d1e_9a0b_2c5d_8e7f_1a2b);

/// The TLP 2.0 marking definitions as published by the OASIS CTI TC (extension-definition--60a3c5c5…).
pub fn tlp_marking_id(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        Tlp::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        Tlp::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        Tlp::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        Tlp::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    }
}

const TLP2_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

fn marking(tlp: Tlp) -> Value {
    let name = tlp.label();
    let value = name.trim_start_matches("TLP:").to_lowercase();
    json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": tlp_marking_id(tlp),
        "created": "2022-10-01T00:00:00.000Z",
        "name": name,
        "extensions": { TLP2_EXTENSION: { "extension_type": "property-extension", "tlp_2_0": value } }
    })
}

/// An indicator's handling conditions (H0-H3) as STIX statement marking definitions, in English (what
/// another system reads), each with an id made from its statement: the same condition is the same object
/// in every bundle and feed page, and an H3 with other words is another.
pub fn handling_markings(c: &Conditions) -> Vec<Value> {
    handling_statements(c)
        .into_iter()
        .map(|statement| {
            json!({
                "type": "marking-definition",
                "spec_version": "2.1",
                "id": marking_id(&statement),
                "created": "2026-01-01T00:00:00.000Z",
                "definition_type": "statement",
                "definition": { "statement": statement },
            })
        })
        .collect()
}

/// The ids of `handling_markings`, without making the objects.
pub fn handling_marking_ids(c: &Conditions) -> Vec<String> {
    handling_statements(c).iter().map(|s| marking_id(s)).collect()
}

/// The statement of each condition, in English (a marking is the same object for every reader).
fn handling_statements(c: &Conditions) -> Vec<String> {
    let l = Locale::En;
    let mut statements: Vec<String> = [(c.h0, "cond-h0"), (c.h1, "cond-h1"), (c.h2, "cond-h2")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, key)| crate::i18n::t(l, key, None))
        .collect();
    statements.extend(c.h3.as_ref().map(|words| format!("H3: {words}")));
    statements
}

fn marking_id(statement: &str) -> String {
    object_id("marking-definition", &format!("handling:{statement}"))
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A STIX pattern string literal: backslash and quote escaped.
fn lit(v: &str) -> String {
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
}

pub fn pattern(kind: IndicatorKind, value: &str) -> String {
    use IndicatorKind::*;
    let v = lit(value);
    match kind {
        Ipv4 => format!("[ipv4-addr:value = {v}]"),
        Ipv6 => format!("[ipv6-addr:value = {v}]"),
        Domain => format!("[domain-name:value = {v}]"),
        Url => format!("[url:value = {v}]"),
        Md5 => format!("[file:hashes.MD5 = {v}]"),
        Sha1 => format!("[file:hashes.'SHA-1' = {v}]"),
        Sha256 => format!("[file:hashes.'SHA-256' = {v}]"),
        Email => format!("[email-addr:value = {v}]"),
        // STIX 2.1 has no wallet object; a custom object type keeps the pattern valid and explicit.
        CryptoWallet => format!("[x-crypto-wallet:address = {v}]"),
    }
}

fn object_id(kind: &str, key: &str) -> String {
    format!("{kind}--{}", Uuid::new_v5(&NAMESPACE, key.as_bytes()))
}

/// The STIX identity id of an agency, by its code: the same in every export and feed.
pub fn identity_id(agency_code: &str) -> String {
    object_id("identity", &format!("agency:{agency_code}"))
}

/// An indicator's STIX id: derived from its case's reference and its own id, never stored.
pub fn indicator_id(case_reference: &str, indicator_id: i64) -> String {
    object_id("indicator", &format!("{case_reference}:{indicator_id}"))
}

/// An object's version, as TAXII names it: when it was last modified (a marking definition never is, so
/// when it was made).
pub fn version(object: &Value) -> &Value {
    object.get("modified").unwrap_or(&object["created"])
}

/// One indicator as a STIX 2.1 indicator object, made (and last changed) at `created`. Its id is stable:
/// the same indicator always has the same id, in a bundle or a feed.
pub fn indicator(case_reference: &str, created_by: &str, i: &IndicatorView, created: DateTime<Utc>) -> Value {
    let valid_from = i
        .first_seen
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .unwrap_or(created);
    let mut obj = json!({
        "type": "indicator",
        "spec_version": "2.1",
        "id": indicator_id(case_reference, i.id),
        "created_by_ref": created_by,
        "created": ts(created),
        "modified": ts(created),
        "name": format!("{}: {}", i.kind.label(), i.value),
        "pattern": pattern(i.kind, &i.value),
        "pattern_type": "stix",
        "valid_from": ts(valid_from),
        "labels": [case_reference],
        "object_marking_refs": std::iter::once(json!(tlp_marking_id(i.tlp)))
            .chain(handling_markings(&i.conditions).into_iter().map(|m| m["id"].clone()))
            .collect::<Vec<_>>(),
    });
    if !i.note.is_empty() {
        obj["description"] = json!(i.note);
    }
    obj
}

pub fn bundle(case_reference: &str, agency: &AgencyRef, indicators: &[IndicatorView], now: DateTime<Utc>) -> Value {
    let identity_id = identity_id(&agency.code);
    let mut objects = vec![json!({
        "type": "identity",
        "spec_version": "2.1",
        "id": identity_id,
        "created": "2026-01-01T00:00:00.000Z",
        "modified": "2026-01-01T00:00:00.000Z",
        "name": agency.name,
        "identity_class": "organization",
    })];
    let mut used: Vec<Tlp> = indicators.iter().map(|i| i.tlp).collect();
    used.sort();
    used.dedup();
    objects.extend(used.into_iter().map(marking));
    let mut handling: Vec<Value> = indicators.iter().flat_map(|i| handling_markings(&i.conditions)).collect();
    handling.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    handling.dedup_by(|a, b| a["id"] == b["id"]);
    objects.extend(handling);
    objects.extend(indicators.iter().map(|i| indicator(case_reference, &identity_id, i, now)));
    json!({ "type": "bundle", "id": format!("bundle--{}", Uuid::new_v4()), "objects": objects })
}

/// The case's indicators as a STIX bundle, if the actor may export them (an audited read).
pub async fn export(
    db: &crate::backend::platform::db::Db,
    actor: &crate::backend::platform::auth::Actor,
    case_id: i64,
) -> Result<(String, Value), crate::error::AppError> {
    use crate::backend::exchange::policy::CaseOp;
    use crate::backend::platform::audit::{self, Event};
    let mut tx = db.begin_write().await?;
    let access = match crate::backend::exchange::cases::checked(&mut tx, &actor.user, case_id, CaseOp::ExportIndicators).await {
        Ok(a) => a,
        Err(e) => {
            drop(tx);
            audit::record_refusal(db, &actor.who, Event::new("indicator.export").on("case", case_id)).await?;
            return Err(e);
        }
    };
    // Those under H2 from another side stay on the case page (`policy::push_indicator_leaves`).
    let indicators = crate::backend::exchange::indicators::for_export(&mut tx, case_id, &actor.user).await?;
    let held = crate::backend::exchange::indicators::held_from_export(&mut tx, case_id, &actor.user).await?;
    let agency = crate::backend::exchange::cases::agency_ref(&mut tx, actor.user.agency_id).await?;
    audit::record(
        &mut tx,
        &actor.who,
        Event::new("indicator.export").on("case", case_id).case(case_id).details(json!({
            "format": "stix-2.1", "count": indicators.len(), "held_h2": held
        })),
    )
    .await?;
    tx.commit().await?;
    Ok((format!("{}-indicators.stix.json", access.reference), bundle(&access.reference, &agency, &indicators, Utc::now())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Country;
    use std::collections::HashSet;

    fn ind(id: i64, kind: IndicatorKind, value: &str, tlp: Tlp) -> IndicatorView {
        IndicatorView {
            id,
            kind,
            value: value.into(),
            tlp,
            first_seen: Some("2026-11-01".into()),
            last_seen: None,
            note: String::new(),
            conditions: Conditions::default(),
        }
    }

    fn is_stix_id(id: &str, ty: &str) -> bool {
        id.strip_prefix(&format!("{ty}--")).and_then(|u| Uuid::parse_str(u).ok()).is_some()
    }

    /// Checks the STIX 2.1 rules a consumer relies on: ids, required properties, timestamps, patterns,
    /// and that every marking reference resolves inside the bundle.
    #[test]
    fn bundle_follows_the_stix_2_1_rules() {
        let agency = AgencyRef { id: 9, code: "CCCS".into(), name: "Canadian Centre for Cyber Security".into(), country: Country::Canada };
        let now = DateTime::parse_from_rfc3339("2026-11-25T08:30:00Z").unwrap().with_timezone(&Utc);
        let mut inds = vec![
            ind(1, IndicatorKind::Ipv4, "203.0.113.7", Tlp::Amber),
            ind(2, IndicatorKind::Sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Tlp::Green),
            ind(3, IndicatorKind::Url, "https://evil.example/it's", Tlp::Amber),
            ind(4, IndicatorKind::Email, "ops@evil.example", Tlp::Red),
        ];
        // Two carry H2, one of them H3 in words too: one statement marking each, shared.
        inds[0].conditions = Conditions { h2: true, ..Conditions::default() };
        inds[2].conditions = Conditions { h2: true, h3: Some("Not to the registrar".into()), ..Conditions::default() };
        let b = bundle("LD-2026-000001", &agency, &inds, now);
        assert_eq!(b["type"], "bundle");
        assert!(is_stix_id(b["id"].as_str().unwrap(), "bundle"));
        let objects = b["objects"].as_array().unwrap();
        let ids: HashSet<&str> = objects.iter().map(|o| o["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), objects.len(), "ids are unique");
        let markings: Vec<&Value> = objects.iter().filter(|o| o["type"] == "marking-definition" && o.get("extensions").is_some()).collect();
        assert_eq!(markings.len(), 3, "one per TLP used");
        let statements: Vec<&str> = objects
            .iter()
            .filter(|o| o["definition_type"] == "statement")
            .map(|o| o["definition"]["statement"].as_str().unwrap())
            .collect();
        assert_eq!(statements.len(), 2, "one per condition used: {statements:?}");
        assert!(statements.contains(&"H2: not to be passed on without the provider's permission"), "{statements:?}");
        assert!(statements.contains(&"H3: Not to the registrar"), "{statements:?}");
        let indicators: Vec<&Value> = objects.iter().filter(|o| o["type"] == "indicator").collect();
        assert_eq!(indicators.len(), 4);
        for o in objects {
            assert_eq!(o["spec_version"], "2.1");
            let ty = o["type"].as_str().unwrap();
            assert!(is_stix_id(o["id"].as_str().unwrap(), ty), "{o}");
            assert!(DateTime::parse_from_rfc3339(o["created"].as_str().unwrap()).is_ok());
        }
        for i in &indicators {
            for prop in ["created", "modified", "pattern", "pattern_type", "valid_from"] {
                assert!(i.get(prop).is_some(), "indicator lacks {prop}");
            }
            assert_eq!(i["pattern_type"], "stix");
            let p = i["pattern"].as_str().unwrap();
            assert!(p.starts_with('[') && p.ends_with(']') && p.contains(" = '"), "{p}");
            for m in i["object_marking_refs"].as_array().unwrap() {
                assert!(ids.contains(m.as_str().unwrap()), "marking {m} resolves in the bundle");
            }
            assert!(ids.contains(i["created_by_ref"].as_str().unwrap()));
        }
        assert_eq!(indicators[0]["pattern"], "[ipv4-addr:value = '203.0.113.7']");
        assert_eq!(
            indicators[1]["pattern"],
            "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']"
        );
        assert_eq!(indicators[2]["pattern"], "[url:value = 'https://evil.example/it\\'s']");
        assert_eq!(indicators[0]["object_marking_refs"][0], "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421");
        assert_eq!(indicators[0]["object_marking_refs"].as_array().unwrap().len(), 2, "TLP and H2");
        assert_eq!(indicators[1]["object_marking_refs"].as_array().unwrap().len(), 1, "TLP alone");
        assert_eq!(indicators[2]["object_marking_refs"].as_array().unwrap().len(), 3, "TLP, H2 and H3");
        assert_eq!(indicators[0]["object_marking_refs"][1], indicators[2]["object_marking_refs"][1], "one H2 marking");
        let red = markings.iter().find(|m| m["name"] == "TLP:RED").unwrap();
        assert_eq!(red["extensions"][TLP2_EXTENSION]["tlp_2_0"], "red");
        // Stable ids: the same indicator exported twice keeps its id.
        let again = bundle("LD-2026-000001", &agency, &inds, now);
        assert_eq!(again["objects"][6]["id"], b["objects"][6]["id"]);
        assert!(again["objects"][6]["id"].as_str().unwrap().starts_with("indicator--"));
    }
}
