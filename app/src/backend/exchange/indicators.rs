//! Indicators (observables) on cyber cases: validation and normalisation per type, so that the same
//! indicator is stored once whatever way it was written (case, defanging, IPv6 forms).

use crate::backend::exchange::policy;
use crate::backend::platform::db::Tx;
use crate::error::AppError;
use crate::model::{BulkLine, Conditions, IndicatorForm, IndicatorKind, IndicatorView, SessionUser, Tlp};
use chrono::{NaiveDate, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Undoes the usual defanging: hxxp://, [.], (.), [at], [@].
fn refang(s: &str) -> String {
    s.trim()
        .replace("[.]", ".")
        .replace("(.)", ".")
        .replace("[dot]", ".")
        .replace("[at]", "@")
        .replace("[@]", "@")
        .replace("hxxps://", "https://")
        .replace("hxxp://", "http://")
}

fn valid_domain(d: &str) -> bool {
    let d = d.trim_end_matches('.');
    d.len() <= 253
        && d.contains('.')
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && d.rsplit('.').next().is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic() || c == '-') && tld.len() >= 2)
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.chars().all(|c| c.is_ascii_hexdigit())
}

fn valid_wallet(s: &str) -> bool {
    const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let eth = s.len() == 42 && s.starts_with("0x") && is_hex(&s[2..], 40);
    let btc_legacy = (s.starts_with('1') || s.starts_with('3')) && (26..=35).contains(&s.len()) && s.chars().all(|c| BASE58.contains(c));
    let lower = s.to_ascii_lowercase();
    let btc_bech32 = lower.starts_with("bc1")
        && (14..=74).contains(&s.len())
        && lower[3..].chars().all(|c| "qpzry9x8gf2tvdw0s3jn54khce6mua7l".contains(c));
    let xmr = (s.starts_with('4') || s.starts_with('8')) && s.len() == 95 && s.chars().all(|c| BASE58.contains(c));
    eth || btc_legacy || btc_bech32 || xmr
}

/// The stored form of `value` as `kind`, or why it is not one.
/// The longest indicator value accepted (a long URL fits).
pub const MAX_VALUE_CHARS: usize = 2048;

pub fn normalise(kind: IndicatorKind, value: &str) -> Result<String, String> {
    // Measured before anything else: the messages below repeat the value.
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(tr!(crate::i18n::reader(), "err-indicator-most-characters", max_value_chars = MAX_VALUE_CHARS as i64));
    }
    let v = refang(value);
    if v.is_empty() {
        return Err(tr!(crate::i18n::reader(), "err-enter-value"));
    }
    use IndicatorKind::*;
    match kind {
        Ipv4 => v
            .parse::<Ipv4Addr>()
            .map(|a| a.to_string())
            .map_err(|_| tr!(crate::i18n::reader(), "err-not-ipv4-address-like-203", v = v.to_string())),
        Ipv6 => {
            v.parse::<Ipv6Addr>().map(|a| a.to_string()).map_err(|_| tr!(crate::i18n::reader(), "err-not-ipv6-address", v = v.to_string()))
        }
        Domain => {
            let d = v.to_ascii_lowercase().trim_end_matches('.').to_string();
            if valid_domain(&d) {
                Ok(d)
            } else {
                Err(tr!(crate::i18n::reader(), "err-not-domain-name-like-example", v = v.to_string()))
            }
        }
        Url => {
            let parsed =
                url::Url::parse(&v).map_err(|_| tr!(crate::i18n::reader(), "err-not-url-like-https-example", v = v.to_string()))?;
            if !matches!(parsed.scheme(), "http" | "https" | "ftp") || parsed.host_str().is_none() {
                return Err(tr!(crate::i18n::reader(), "err-not-http-https-ftp-url", v = v.to_string()));
            }
            Ok(parsed.to_string())
        }
        Md5 => {
            if is_hex(&v, 32) {
                Ok(v.to_ascii_lowercase())
            } else {
                Err(tr!(crate::i18n::reader(), "err-md5-hash-32-hexadecimal-characters"))
            }
        }
        Sha1 => {
            if is_hex(&v, 40) {
                Ok(v.to_ascii_lowercase())
            } else {
                Err(tr!(crate::i18n::reader(), "err-sha-1-hash-40-hexadecimal"))
            }
        }
        Sha256 => {
            if is_hex(&v, 64) {
                Ok(v.to_ascii_lowercase())
            } else {
                Err(tr!(crate::i18n::reader(), "err-sha-256-hash-64-hexadecimal"))
            }
        }
        Email => {
            let (local, domain) =
                v.rsplit_once('@').ok_or_else(|| tr!(crate::i18n::reader(), "err-not-email-address", v = v.to_string()))?;
            let domain = domain.to_ascii_lowercase();
            if local.is_empty() || local.len() > 64 || local.contains(char::is_whitespace) || !valid_domain(&domain) {
                return Err(tr!(crate::i18n::reader(), "err-not-email-address", v = v.to_string()));
            }
            Ok(format!("{local}@{domain}"))
        }
        CryptoWallet => {
            if valid_wallet(&v) {
                Ok(v)
            } else {
                Err(tr!(crate::i18n::reader(), "err-not-bitcoin-ethereum-monero-address", v = v.to_string()))
            }
        }
    }
}

/// Guesses the type of a pasted value (bulk paste without types).
pub fn detect(value: &str) -> Option<IndicatorKind> {
    let v = refang(value);
    use IndicatorKind::*;
    [Ipv4, Ipv6, Md5, Sha1, Sha256, Url, Email, CryptoWallet, Domain].into_iter().find(|k| normalise(*k, &v).is_ok())
}

pub struct NewIndicator {
    pub kind: IndicatorKind,
    /// Normalised (`normalise`).
    pub value: String,
    pub tlp: Tlp,
    pub first_seen: Option<NaiveDate>,
    pub last_seen: Option<NaiveDate>,
    pub note: String,
    /// Set by the adding agency, as on a response it gives.
    pub conditions: Conditions,
}

impl NewIndicator {
    /// Parses and checks the indicator form; every problem is reported at once.
    pub fn parse(form: &IndicatorForm) -> Result<Self, AppError> {
        let mut p = crate::error::Problems::default();
        let kind: Option<IndicatorKind> = p.parsed(&form.kind, "kind", tr!(crate::i18n::reader(), "err-choose-indicator-type"));
        let tlp = p.parsed(&form.tlp, "tlp", tr!(crate::i18n::reader(), "err-choose-handling-code"));
        let mut date = |raw: &str, field: &str| {
            let raw = raw.trim();
            let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
            p.check(raw.is_empty() || date.is_some(), field, tr!(crate::i18n::reader(), "err-use-date-like-2026-11"));
            date
        };
        let (first_seen, last_seen) = (date(&form.first_seen, "first_seen"), date(&form.last_seen, "last_seen"));
        if let (Some(first), Some(last)) = (first_seen, last_seen) {
            p.check(first <= last, "last_seen", tr!(crate::i18n::reader(), "err-last-seen-before-first-seen"));
        }
        let value = kind.and_then(|k| normalise(k, &form.value).map_err(|msg| p.add("value", msg)).ok());
        p.check(form.note.trim().chars().count() <= 1000, "note", tr!(crate::i18n::reader(), "err-keep-note-1-000-characters"));
        let conditions = crate::backend::exchange::requests::parse_conditions(&mut p, &form.h0, &form.h1, &form.h2, &form.h3);
        let note = form.note.trim().to_string();
        let input = (|| Some(NewIndicator { kind: kind?, value: value?, tlp: tlp?, first_seen, last_seen, note, conditions }))();
        p.finish(input)
    }
}

/// Adds one indicator; a duplicate the user can see in the same case is refused with the field's message.
/// One they cannot see (another agency's under TLP:AMBER+STRICT or TLP:RED) is not mentioned: the user adds
/// their own, and the refusal does not reveal that the other exists.
pub async fn insert(tx: &mut Tx, case_id: i64, user: &SessionUser, n: &NewIndicator) -> Result<i64, AppError> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT i.id FROM indicators i WHERE i.case_id = ");
    q.push_bind(case_id).push(" AND i.kind = ").push_bind(n.kind.as_str()).push(" AND i.value = ").push_bind(&n.value);
    policy::push_indicator_visible(&mut q, user, "i");
    q.push(" LIMIT 1");
    let exists: Option<i64> = q.build_query_scalar().fetch_optional(&mut **tx).await?;
    if exists.is_some() {
        return Err(AppError::field("value", format!("{} is already on this case.", n.value)));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO indicators (case_id, kind, value, tlp, first_seen, last_seen, note, created_by, created_at, h0, h1, h2, h3) \
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
    )
    .bind(case_id)
    .bind(n.kind.as_str())
    .bind(&n.value)
    .bind(n.tlp.as_str())
    .bind(n.first_seen)
    .bind(n.last_seen)
    .bind(&n.note)
    .bind(user.id)
    .bind(Utc::now())
    .bind(n.conditions.h0)
    .bind(n.conditions.h1)
    .bind(n.conditions.h2)
    .bind(&n.conditions.h3)
    .fetch_one(&mut **tx)
    .await?)
}

/// What every line of a bulk paste is given: its TLP and handling conditions.
pub struct BulkMarks {
    pub tlp: Tlp,
    pub conditions: Conditions,
}

/// One indicator per line, optionally "type value"; returns a report line for every input line.
pub async fn bulk_add(tx: &mut Tx, case_id: i64, user: &SessionUser, text: &str, marks: &BulkMarks) -> Result<Vec<BulkLine>, AppError> {
    let mut report = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let input = raw.trim();
        if input.is_empty() || input.starts_with('#') {
            continue;
        }
        let (kind, value) = match input.split_once(char::is_whitespace) {
            Some((k, v)) if k.parse::<IndicatorKind>().is_ok() => (k.parse::<IndicatorKind>().ok(), v.trim()),
            _ => (detect(input), input),
        };
        let line = i + 1;
        let Some(kind) = kind else {
            report.push(BulkLine {
                line,
                input: input.into(),
                outcome: tr!(crate::i18n::reader(), "err-bulk-not-recognised"),
                added: false,
            });
            continue;
        };
        match normalise(kind, value) {
            Err(msg) => report.push(BulkLine { line, input: input.into(), outcome: msg, added: false }),
            Ok(value) => {
                let n = NewIndicator {
                    kind,
                    value: value.clone(),
                    tlp: marks.tlp,
                    first_seen: None,
                    last_seen: None,
                    note: String::new(),
                    conditions: marks.conditions.clone(),
                };
                match insert(tx, case_id, user, &n).await {
                    Ok(_) => report.push(BulkLine {
                        line,
                        input: input.into(),
                        outcome: tr!(
                            crate::i18n::reader(),
                            "bulk-added-as",
                            kind = crate::i18n::LabelIn::label_in(kind, crate::i18n::reader()),
                            value = value.clone()
                        ),
                        added: true,
                    }),
                    Err(AppError::Validation(e)) => {
                        report.push(BulkLine { line, input: input.into(), outcome: e[0].message.clone(), added: false })
                    }
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(report)
}

/// An indicator as stored (`COLUMNS`); other queries embed it (`#[sqlx(flatten)]`) to read indicators the
/// same way.
#[derive(sqlx::FromRow)]
pub struct IndicatorRow {
    id: i64,
    kind: String,
    value: String,
    tlp: String,
    first_seen: Option<String>,
    last_seen: Option<String>,
    note: String,
    h0: bool,
    h1: bool,
    h2: bool,
    h3: Option<String>,
}

impl IndicatorRow {
    /// The columns `IndicatorRow` reads, of an indicator aliased `i`.
    pub const COLUMNS: &'static str = "i.id, i.kind, i.value, i.tlp, i.first_seen, i.last_seen, i.note, i.h0, i.h1, i.h2, i.h3";

    /// Its handling conditions.
    pub fn conditions(&self) -> Conditions {
        Conditions { h0: self.h0, h1: self.h1, h2: self.h2, h3: self.h3.clone() }
    }

    /// The indicator as shown; None for a stored kind or TLP outside its closed set (never shown as a guess).
    pub fn into_view(self) -> Option<IndicatorView> {
        Some(IndicatorView {
            id: self.id,
            kind: self.kind.parse().ok()?,
            value: self.value,
            tlp: self.tlp.parse().ok()?,
            first_seen: self.first_seen,
            last_seen: self.last_seen,
            note: self.note,
            conditions: Conditions { h0: self.h0, h1: self.h1, h2: self.h2, h3: self.h3 },
        })
    }
}

/// The case's indicators that `viewer` may see (`policy::push_indicator_visible`).
pub async fn for_case(conn: &mut SqliteConnection, case_id: i64, viewer: &SessionUser) -> Result<Vec<IndicatorView>, AppError> {
    let mut q = sqlx::QueryBuilder::new(format!("SELECT {} FROM indicators i WHERE i.case_id = ", IndicatorRow::COLUMNS));
    q.push_bind(case_id);
    crate::backend::exchange::policy::push_indicator_visible(&mut q, viewer, "i");
    q.push(" ORDER BY i.kind, i.value");
    let rows: Vec<IndicatorRow> = q.build_query_as().fetch_all(conn).await?;
    Ok(rows.into_iter().filter_map(IndicatorRow::into_view).collect())
}

/// The case's indicators that `viewer` may take out of Liaison Desk (`policy::push_indicator_leaves`): those
/// they see, less those under H2 from another side.
pub async fn for_export(conn: &mut SqliteConnection, case_id: i64, viewer: &SessionUser) -> Result<Vec<IndicatorView>, AppError> {
    let mut q = sqlx::QueryBuilder::new(format!("SELECT {} FROM indicators i WHERE i.case_id = ", IndicatorRow::COLUMNS));
    q.push_bind(case_id);
    crate::backend::exchange::policy::push_indicator_visible(&mut q, viewer, "i");
    crate::backend::exchange::policy::push_indicator_leaves(&mut q, viewer, "i");
    q.push(" ORDER BY i.kind, i.value");
    let rows: Vec<IndicatorRow> = q.build_query_as().fetch_all(conn).await?;
    Ok(rows.into_iter().filter_map(IndicatorRow::into_view).collect())
}

/// How many of the case's indicators `viewer` sees but may not take out (under H2, from another side): the
/// case page says so beside the export.
pub async fn held_from_export(conn: &mut SqliteConnection, case_id: i64, viewer: &SessionUser) -> Result<i64, AppError> {
    let mut q = sqlx::QueryBuilder::new("SELECT COUNT(*) FROM indicators i WHERE i.h2 = 1 AND i.case_id = ");
    q.push_bind(case_id);
    crate::backend::exchange::policy::push_indicator_visible(&mut q, viewer, "i");
    q.push(" AND NOT (1 ");
    crate::backend::exchange::policy::push_indicator_leaves(&mut q, viewer, "i");
    q.push(")");
    Ok(q.build_query_scalar().fetch_one(conn).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorKind::*;

    #[test]
    fn a_value_over_the_limit_is_refused_before_it_is_parsed_or_repeated() {
        let long = format!("https://example.org/{}", "a".repeat(MAX_VALUE_CHARS));
        let message = normalise(Url, &long).unwrap_err();
        assert_eq!(message, format!("An indicator is at most {MAX_VALUE_CHARS} characters."));
        let fits = format!("https://example.org/{}", "a".repeat(MAX_VALUE_CHARS - 40));
        assert!(normalise(Url, &fits).is_ok());
    }

    #[test]
    fn normalises_each_type() {
        assert_eq!(normalise(Ipv4, " 203.0.113.7 "), Ok("203.0.113.7".into()));
        assert_eq!(normalise(Ipv4, "203[.]0[.]113[.]7"), Ok("203.0.113.7".into()));
        assert!(normalise(Ipv4, "203.0.113.300").is_err());
        assert_eq!(normalise(Ipv6, "2001:DB8:0:0:0:0:0:1"), Ok("2001:db8::1".into()));
        assert_eq!(normalise(Domain, "Evil-Example.ORG."), Ok("evil-example.org".into()));
        assert!(normalise(Domain, "not a domain").is_err());
        assert!(normalise(Domain, "localhost").is_err());
        assert_eq!(normalise(Url, "hxxps://Evil.example.org/a?b=1"), Ok("https://evil.example.org/a?b=1".into()));
        assert!(normalise(Url, "javascript:alert(1)").is_err());
        assert_eq!(normalise(Md5, "D41D8CD98F00B204E9800998ECF8427E"), Ok("d41d8cd98f00b204e9800998ecf8427e".into()));
        assert!(normalise(Sha1, "abc").is_err());
        assert_eq!(
            normalise(Sha256, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855").unwrap(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(normalise(Email, "Ops[at]Example.COM"), Ok("Ops@example.com".into()));
        assert!(normalise(Email, "no-at-sign").is_err());
        assert!(normalise(CryptoWallet, "0x52908400098527886E0F7030069857D2E4169EE7").is_ok());
        assert!(normalise(CryptoWallet, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").is_ok());
        assert!(normalise(CryptoWallet, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT").is_ok());
        assert!(normalise(CryptoWallet, "0xZZZ").is_err());
    }

    #[test]
    fn detects_types_of_pasted_lines() {
        assert_eq!(detect("198.51.100.23"), Some(Ipv4));
        assert_eq!(detect("2001:db8::5"), Some(Ipv6));
        assert_eq!(detect("d41d8cd98f00b204e9800998ecf8427e"), Some(Md5));
        assert_eq!(detect("hxxp://bad[.]example/x"), Some(Url));
        assert_eq!(detect("a@b.example"), Some(Email));
        assert_eq!(detect("ransom-pay.example"), Some(Domain));
        assert_eq!(detect("!!!"), None);
    }
}
