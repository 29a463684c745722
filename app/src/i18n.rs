//! The reader's language: which one a request is answered in, and every word the product says, looked up
//! in one Fluent catalogue per language (`app/locales/*.ftl`). Content users write is never translated.
//!
//! On the server the language is chosen per request (`request_locale`): the `ld_lang` cookie (set by the
//! switch in the header, and at sign-in from the account's saved choice), else the browser's
//! `Accept-Language`, else English. Pages read it with `use_locale`; an island that has words of its own
//! is given it as a prop (`l`), since the browser renders it again.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

/// The cookie that carries the reader's choice between requests.
pub const COOKIE: &str = "ld_lang";

use crate::model::ClosedSet;
pub use crate::model::Locale;

impl Locale {
    /// The languages offered in the switch, in this order.
    pub const OFFERED: [Locale; 3] = [Locale::En, Locale::FrCa, Locale::Hi];

    /// An exact tag as stored or sent by the switch (not a negotiation: see `negotiate`).
    pub fn parse(tag: &str) -> Option<Locale> {
        Locale::ALL.iter().copied().find(|l| l.as_str().eq_ignore_ascii_case(tag.trim()))
    }

    /// The best of our languages for an `Accept-Language` header (any French reads Canadian French), or
    /// None when the browser asks for none of them. The pseudo-locale is reachable only by its exact tag.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        use fluent_langneg::{negotiate_languages, NegotiationStrategy};
        let requested: Vec<LanguageIdentifier> = by_preference(accept_language).iter().filter_map(|t| t.parse().ok()).collect();
        let available: Vec<LanguageIdentifier> = Locale::OFFERED.iter().map(|l| l.langid()).collect();
        // Filtering, not Lookup: "fr-FR" must find "fr-CA" (same language, other region).
        let chosen = negotiate_languages(&requested, &available, None, NegotiationStrategy::Filtering);
        chosen.first().and_then(|id| Locale::parse(&id.to_string()))
    }

    fn langid(self) -> LanguageIdentifier {
        self.as_str().parse().expect("our own tags are valid")
    }

    /// A measure to one decimal with the reader's decimal mark: `3.5` in English and Hindi, `3,5` in French.
    pub fn decimal(self, x: f64) -> String {
        let text = format!("{x:.1}");
        if self == Locale::FrCa {
            text.replace('.', ",")
        } else {
            text
        }
    }

    /// Numbers as the reader writes them: `1,234.5` in English, `1 234,5` in French (narrow no-break
    /// space), `1,23,456` in Hindi (Indian grouping). Digits stay Latin, as Indian government forms use.
    pub fn number(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let (sep, indian) = match self {
            Locale::FrCa => ('\u{202f}', false),
            Locale::Hi => (',', true),
            Locale::En | Locale::Pseudo => (',', false),
        };
        let mut groups: Vec<&str> = Vec::new();
        let (mut rest, mut first) = (digits.as_str(), true);
        while !rest.is_empty() {
            let size = if first || !indian { 3 } else { 2 };
            let cut = rest.len().saturating_sub(size);
            groups.push(&rest[cut..]);
            rest = &rest[..cut];
            first = false;
        }
        groups.reverse();
        let sign = if n < 0 { "-" } else { "" };
        format!("{sign}{}", groups.join(&sep.to_string()))
    }
}

impl Locale {
    /// A date and time of day as the reader writes them: `2026-11-30 14:05` (English, as the product always
    /// showed them), `30 nov. 2026, 14 h 05` (French, as federal style writes it), `30 नवंबर 2026, 14:05`
    /// (Hindi). `zone` is the zone's abbreviation, as the reader's language writes it (`zone`).
    pub fn date_time(self, date: chrono::NaiveDate, time: chrono::NaiveTime, zone: &str) -> String {
        use chrono::Datelike;
        let zone = self.zone(zone);
        match self {
            Locale::En | Locale::Pseudo => format!("{} {} {zone}", date.format("%Y-%m-%d"), self.time_of_day(time)),
            Locale::FrCa | Locale::Hi => {
                let month = t(self, MONTHS[date.month0() as usize], None);
                format!("{} {month} {}, {} {zone}", date.day(), date.year(), self.time_of_day(time))
            }
        }
    }

    /// A time zone's abbreviation as the reader's language writes it: Canada's zones in French are HNE, HAE,
    /// HNP… (the catalogue's `zone-<abbreviation>`); any other abbreviation (IST, UTC, +04) as it is.
    pub fn zone(self, abbreviation: &str) -> String {
        // The abbreviations are English's own (as chrono names them): nothing to look up for every time an
        // English page shows.
        if matches!(self, Locale::En | Locale::Pseudo) {
            return abbreviation.to_string();
        }
        let key = format!("zone-{abbreviation}");
        if has(self, &key) {
            t(self, &key, None)
        } else {
            abbreviation.to_string()
        }
    }

    /// `14:05`, or in French `14 h 05`.
    pub fn time_of_day(self, time: chrono::NaiveTime) -> String {
        use chrono::Timelike;
        match self {
            Locale::FrCa => format!("{} h {:02}", time.hour(), time.minute()),
            _ => format!("{:02}:{:02}", time.hour(), time.minute()),
        }
    }
}

/// The months' names (abbreviated where the language abbreviates them in dates), by catalogue key.
const MONTHS: [&str; 12] =
    ["month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8", "month-9", "month-10", "month-11", "month-12"];

/// A closed set's member in the reader's language: the catalogue's `<Set>-<code>` (a test checks that every
/// member of every set has one).
pub trait LabelIn {
    fn label_in(self, locale: Locale) -> String;
}

impl<T: ClosedSet> LabelIn for T {
    fn label_in(self, locale: Locale) -> String {
        t(locale, &format!("{}-{}", T::SET, self.code()), None)
    }
}

/// The catalogues, compiled in. English is complete by test (`tests` below); another language missing a
/// word falls back to English for that word rather than show its key.
const CATALOGUES: [(Locale, &str); 3] = [
    (Locale::En, include_str!("../locales/en.ftl")),
    (Locale::FrCa, include_str!("../locales/fr-CA.ftl")),
    (Locale::Hi, include_str!("../locales/hi.ftl")),
];

fn source(locale: Locale) -> &'static str {
    let wanted = if locale == Locale::Pseudo { Locale::En } else { locale };
    CATALOGUES.iter().find(|(l, _)| *l == wanted).map(|(_, s)| *s).expect("every language has a catalogue")
}

fn bundle(locale: Locale) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(source(locale).to_string()).unwrap_or_else(|(partial, errors)| {
        // A catalogue that does not parse is a build mistake the tests catch; keep what parsed.
        debug_assert!(errors.is_empty(), "{locale}: {errors:?}");
        partial
    });
    let mut bundle = FluentBundle::new_concurrent(vec![locale.langid()]);
    // Text goes into HTML, where bidi isolation marks would only be noise around names and numbers.
    bundle.set_use_isolating(false);
    if locale == Locale::Pseudo {
        bundle.set_transform(Some(pseudo));
    }
    let _ = bundle.add_resource(resource);
    bundle
}

static BUNDLES: LazyLock<Vec<(Locale, FluentBundle<FluentResource>)>> =
    LazyLock::new(|| Locale::ALL.iter().map(|&l| (l, bundle(l))).collect());

fn find(locale: Locale) -> &'static FluentBundle<FluentResource> {
    &BUNDLES.iter().find(|(l, _)| *l == locale).expect("every language has a bundle").1
}

/// Arguments of a message (`tr!` builds them).
pub type Args<'a> = FluentArgs<'a>;

/// Turns a value into a message argument: numbers stay numbers (for plural choices), the rest is text.
/// Text loses any bidirectional control character: a name holding U+202E must not turn the rest of the
/// sentence around it (isolation marks are off: see `bundle`).
pub fn arg<'a>(value: impl Into<FluentValue<'a>>) -> FluentValue<'a> {
    match value.into() {
        FluentValue::String(s) if s.chars().any(is_bidi_control) => {
            FluentValue::String(s.chars().filter(|c| !is_bidi_control(*c)).collect::<String>().into())
        }
        other => other,
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// A user's free text (grounds, conditions in words) as kept: lines and tabs stay; other control characters
/// (a NUL would cut the text short for SQLite's length checks) and bidirectional formatting go; trimmed.
pub fn plain_text(text: &str) -> String {
    text.chars().filter(|c| matches!(c, '\n' | '\t') || (!c.is_control() && !is_bidi_control(*c))).collect::<String>().trim().to_string()
}

/// A name a user gives (a passkey's, a token's) as kept: without control or bidirectional-formatting
/// characters, which could make an audit line or a list read other than it is, and trimmed.
pub fn plain_line(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() && !is_bidi_control(*c)).collect::<String>().trim().to_string()
}

/// The language tags of an `Accept-Language` header, most wanted first (by `q`, then order); refused
/// ones (`q=0`) and unreadable weights left out.
fn by_preference(header: &str) -> Vec<&str> {
    // A browser sends a handful; a huge header is not worth reading whole.
    const MOST_TAGS: usize = 16;
    let mut tags: Vec<(&str, f32)> = header
        .split(',')
        .take(MOST_TAGS)
        .filter_map(|part| {
            let mut bits = part.split(';');
            let tag = bits.next()?.trim();
            let q = bits.find_map(|b| b.trim().strip_prefix("q=")).map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (!tag.is_empty() && tag != "*" && q > 0.0).then_some((tag, q))
        })
        .collect();
    tags.sort_by(|a, b| b.1.total_cmp(&a.1));
    tags.into_iter().map(|(t, _)| t).collect()
}

/// Whether the catalogue of `locale` has `key` (the English one when `locale` is the pseudo-locale).
pub fn has(locale: Locale, key: &str) -> bool {
    find(locale).has_message(key)
}

/// The message `key` in `locale`, with `args`; English if that catalogue lacks it; the key itself (which a
/// test catches) if English lacks it too.
pub fn t(locale: Locale, key: &str, args: Option<&Args>) -> String {
    let (bundle, locale) = if has(locale, key) { (find(locale), locale) } else { (find(Locale::En), Locale::En) };
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_string();
    };
    let mut errors = vec![];
    let text = bundle.format_pattern(pattern, args, &mut errors).into_owned();
    if locale == Locale::Pseudo {
        format!("[{text}]")
    } else {
        text
    }
}

/// `tr!(locale, "key")`, or with arguments `tr!(locale, "key", name = value, count = n)`. Keys are
/// literals, so a test can find every key the code uses.
#[macro_export]
macro_rules! tr {
    ($locale:expr, $key:literal) => {
        $crate::i18n::t($locale, $key, None)
    };
    ($locale:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::Args::new();
        $( args.set(stringify!($name), $crate::i18n::arg($value)); )+
        $crate::i18n::t($locale, $key, Some(&args))
    }};
}

/// Accents every Latin letter of a catalogue text (not of the values put into it: names stay as written).
fn pseudo(text: &str) -> Cow<'_, str> {
    const FROM: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const TO: &str = "ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ";
    Cow::Owned(text.chars().map(|c| FROM.find(c).and_then(|i| TO.chars().nth(i)).unwrap_or(c)).collect())
}

/// The reader's language in a page or component: the request's on the server; in the browser, the page's
/// `<html lang>` (so an island renders again in the language the server rendered it in); English otherwise.
pub fn use_locale() -> Locale {
    if let Some(locale) = leptos::prelude::use_context::<Locale>() {
        return locale;
    }
    // An island in the browser: the page's own `<html lang>`, which the server set from the same choice.
    #[cfg(feature = "hydrate")]
    if let Some(locale) =
        leptos::prelude::document().document_element().and_then(|e| e.get_attribute("lang")).and_then(|t| Locale::parse(&t))
    {
        return locale;
    }
    Locale::En
}

/// The language this request is answered in: the `ld_lang` cookie, else `Accept-Language`, else English.
#[cfg(feature = "ssr")]
pub fn locale_of(headers: &axum::http::HeaderMap) -> Locale {
    let cookie = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| Locale::parse(value));
    cookie
        .or_else(|| headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::negotiate))
        .unwrap_or_default()
}

/// The current request's language (in a page being rendered or a server function, else the one the server
/// set for the whole request: `READER`); English outside a request.
#[cfg(feature = "ssr")]
pub fn request_locale() -> Locale {
    // The server worked it out once for the request (`READER`): reading it is cheap, where negotiating the
    // headers again would be done for every word.
    READER
        .try_with(|l| *l)
        .ok()
        .or_else(|| leptos::prelude::use_context::<axum::http::request::Parts>().map(|parts| locale_of(&parts.headers)))
        .unwrap_or_default()
}

#[cfg(feature = "ssr")]
tokio::task_local! {
    /// The language of the request being answered, set by the server around every request (`with_reader`),
    /// so that words written deep in the backend (a field's message, a refusal) follow the reader's language
    /// on the REST API too, where there is no page context.
    pub static READER: Locale;
}

/// The reader's language for the words the backend writes itself: a field's message, a refusal. On the
/// server, the request's (`request_locale`); in the browser, the page's.
pub fn reader() -> Locale {
    #[cfg(feature = "ssr")]
    {
        request_locale()
    }
    #[cfg(not(feature = "ssr"))]
    {
        use_locale()
    }
}

/// The `Set-Cookie` value that keeps the reader's choice for a year. HttpOnly: no script needs it (the
/// server renders every word); Lax: it follows the reader's own navigation.
#[cfg(feature = "ssr")]
pub fn cookie(locale: Locale, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}", locale.as_str())
}

/// Sets the language cookie on the response being rendered (at sign-in, from the account's saved choice).
#[cfg(feature = "ssr")]
pub fn remember(locale: Locale, secure: bool) {
    use axum::http::{header, HeaderValue};
    if let (Some(response), Ok(value)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&cookie(locale, secure)))
    {
        response.append_header(header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Message ids and, for each, the variables it uses.
    fn entries(locale: Locale) -> Vec<(String, BTreeSet<String>)> {
        use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
        fn vars(p: &Pattern<&str>, out: &mut BTreeSet<String>) {
            for el in &p.elements {
                if let PatternElement::Placeable { expression } = el {
                    expr(expression, out);
                }
            }
        }
        fn expr(e: &Expression<&str>, out: &mut BTreeSet<String>) {
            match e {
                Expression::Inline(InlineExpression::VariableReference { id }) => {
                    out.insert(id.name.to_string());
                }
                Expression::Select { selector, variants } => {
                    expr(&Expression::Inline(selector.clone()), out);
                    variants.iter().for_each(|v| vars(&v.value, out));
                }
                _ => {}
            }
        }
        let parsed = fluent_syntax::parser::parse(source(locale)).unwrap_or_else(|(_, e)| panic!("{locale} does not parse: {e:?}"));
        parsed
            .body
            .iter()
            .filter_map(|e| match e {
                Entry::Message(m) => {
                    let mut v = BTreeSet::new();
                    if let Some(p) = &m.value {
                        vars(p, &mut v);
                    }
                    Some((m.id.name.to_string(), v))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_language_has_every_word_with_the_same_placeholders() {
        let english = entries(Locale::En);
        let ids: BTreeSet<_> = english.iter().map(|(k, _)| k.clone()).collect();
        assert_eq!(ids.len(), english.len(), "a key appears twice in en.ftl");
        for locale in [Locale::FrCa, Locale::Hi] {
            let other = entries(locale);
            let other_ids: BTreeSet<_> = other.iter().map(|(k, _)| k.clone()).collect();
            assert_eq!(other_ids.len(), other.len(), "a key appears twice in {locale}");
            let missing: Vec<_> = ids.difference(&other_ids).collect();
            let extra: Vec<_> = other_ids.difference(&ids).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{locale}: missing {missing:?}, not in English {extra:?}");
            for (key, vars) in &english {
                let theirs = &other.iter().find(|(k, _)| k == key).expect("checked above").1;
                assert_eq!(vars, theirs, "{locale}: {key} has other placeholders");
            }
        }
    }

    /// The Rust files under these folders of the crate (relative to its manifest).
    fn rust_files(dirs: &[&str]) -> Vec<std::path::PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("source folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![];
        for dir in dirs {
            walk(&root.join(dir), &mut files);
        }
        files
    }

    /// Every `tr!(…, "key"…)` in the code names a word of the English catalogue.
    #[test]
    fn every_key_the_code_uses_is_in_the_catalogue() {
        // The server crate says things too (an upload's refusal).
        let files = rust_files(&["src", "../server/src"]);
        let mut used = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable source");
            for (i, _) in text.match_indices("tr!(") {
                // Not the end of a longer name (`include_str!(`).
                if text[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let call = &text[i..text.len().min(i + 300)];
                let Some(start) = call.find('"') else { continue };
                let Some(len) = call[start + 1..].find('"') else { continue };
                let key = &call[start + 1..start + 1 + len];
                if key == "key" {
                    continue; // this file's own documentation
                }
                used += 1;
                assert!(has(Locale::En, key), "{}: key {key:?} is not in en.ftl", file.display());
            }
        }
        assert!(used > 50, "the scan found only {used} keys: is it still reading the code?");
    }

    /// What the backend tells a user about their input or a refusal is looked up in the catalogue, never
    /// written in English in the code: a field's message or a conflict written as a literal (or a `format!`)
    /// is what this catches. The operator's messages (the demo loader, the signing key's check) stay English.
    #[test]
    fn the_backend_writes_no_message_of_its_own() {
        let files = rust_files(&["src/backend", "src/api", "../server/src"]);
        let operator_only = ["demo.rs", "checkpoints.rs", "cli.rs"];
        let mut offenders = vec![];
        for file in &files {
            if file.file_name().is_some_and(|n| operator_only.iter().any(|o| n == *o)) {
                continue;
            }
            let text = std::fs::read_to_string(file).expect("readable source");
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let needles = [
                "AppError::Conflict(",
                "AppError::field(",
                "message: ",
                ".check(",
                ".parsed(",
                "ok_or_else(|| ",
                "Err(",
                "Problem::new(",
                "Problem::bad_request(",
            ];
            for needle in needles {
                for (at, _) in code.match_indices(needle) {
                    let start = at + needle.len();
                    let mut end = code.len().min(start + 400);
                    while !code.is_char_boundary(end) {
                        end -= 1;
                    }
                    let call = &code[start..end];
                    if writes_english(needle, call) {
                        let line = code[..at].lines().count();
                        offenders.push(format!("{}:{line}: {needle}{}", file.display(), call.lines().next().unwrap_or_default()));
                    }
                }
            }
        }
        assert!(offenders.is_empty(), "messages written in the code, not in the catalogue:\n{}", offenders.join("\n"));
        assert!(files.len() > 40, "the scan read only {} files", files.len());
    }

    /// Whether the call after `needle` passes a message written in the code: a literal (or a `format!` of
    /// one) that starts like a sentence, as the message argument.
    fn writes_english(needle: &str, call: &str) -> bool {
        fn sentence(rest: &str) -> bool {
            let rest = rest.trim_start().trim_start_matches('&');
            let rest = rest.strip_prefix("format!(").map_or(rest, str::trim_start);
            // A sentence's first word ("Choose…", "A request…"), not a setting's name ("LD_PUBLIC_URL must…",
            // which only the operator reads, at start).
            let mut chars = rest.strip_prefix('"').unwrap_or_default().chars();
            let (first, second) = (chars.next(), chars.next());
            first.is_some_and(|c| c.is_ascii_uppercase()) && second.is_some_and(|c| c.is_ascii_lowercase() || c == ' ')
        }
        match needle {
            "AppError::Conflict(" | "message: " | "ok_or_else(|| " | "Err(" | "Problem::bad_request(" => sentence(call),
            // (kind, status, message), the arguments possibly on lines of their own.
            "Problem::new(" => call.split(';').next().unwrap_or_default().split(',').skip(2).any(sentence),
            // (field, message), (ok, field, message), (raw, field, message): the message follows a field name.
            _ => {
                let end = call.find(';').unwrap_or(call.len());
                let args = &call[..end];
                args.match_indices("\", ").any(|(i, _)| {
                    let before = &args[..i];
                    let field_start = before.rfind('"').map_or(0, |q| q + 1);
                    let field = &before[field_start..];
                    !field.is_empty() && field.chars().all(|c| c.is_ascii_lowercase() || c == '_') && sentence(&args[i + 2..])
                })
            }
        }
    }

    /// Every member of every closed set shown to users has its label in the catalogue (TLP stays a code:
    /// "TLP:AMBER" is what both sides read and print; a language's own name is written in that language).
    #[test]
    fn every_closed_set_member_has_a_label() {
        use crate::model::*;
        fn check<T: ClosedSet>(all: &[T]) -> usize {
            for member in all {
                let key = format!("{}-{}", T::SET, member.code());
                assert!(has(Locale::En, &key), "{key} is not in en.ftl");
            }
            all.len()
        }
        let checked = check(Role::ALL)
            + check(Country::ALL)
            + check(UserStatus::ALL)
            + check(Category::ALL)
            + check(Priority::ALL)
            + check(CaseStatus::ALL)
            + check(RequestKind::ALL)
            + check(RequestStatus::ALL)
            + check(ResponseKind::ALL)
            + check(SourceGrade::ALL)
            + check(InfoGrade::ALL)
            + check(IndicatorKind::ALL)
            + check(EntityKind::ALL)
            + check(ChangeKind::ALL)
            + check(ChangeDecision::ALL)
            + check(ConsentPurpose::ALL)
            + check(ConsentStatus::ALL);
        assert!(checked > 60);
        assert_eq!(RequestStatus::Answered.label_in(Locale::FrCa), "Répondue");
        assert_eq!(Priority::Urgent.label_in(Locale::Hi), "अति आवश्यक");
    }

    #[test]
    fn a_name_cannot_turn_the_sentence_around_it() {
        let text = tr!(Locale::En, "home-welcome", name = "Eve\u{202e}lanimirc".to_string());
        assert_eq!(text, "Welcome, Evelanimirc");
    }

    #[test]
    fn a_missing_argument_or_word_never_shows_a_blank() {
        assert_eq!(t(Locale::En, "no-such-word", None), "no-such-word");
        assert!(tr!(Locale::Pseudo, "nav-cases").starts_with('['));
        assert!(!tr!(Locale::Pseudo, "nav-cases").contains("Cases"));
    }

    #[test]
    fn browsers_get_their_language_or_english() {
        assert_eq!(Locale::negotiate("fr-FR,fr;q=0.9,en;q=0.8"), Some(Locale::FrCa));
        assert_eq!(Locale::negotiate("fr-CA"), Some(Locale::FrCa));
        assert_eq!(Locale::negotiate("hi-IN,en;q=0.5"), Some(Locale::Hi));
        assert_eq!(Locale::negotiate("de-DE,en-GB;q=0.7"), Some(Locale::En));
        assert_eq!(Locale::negotiate("de-DE"), None);
        // Weights count, and q=0 refuses.
        assert_eq!(Locale::negotiate("en;q=0.1, fr;q=0.9"), Some(Locale::FrCa));
        assert_eq!(Locale::negotiate("fr;q=0, hi;q=0.5"), Some(Locale::Hi));
        assert_eq!(Locale::negotiate("fr;q=banana"), None);
        assert_eq!(Locale::negotiate("en-XA"), Some(Locale::En), "the pseudo-locale is never negotiated: its language is");
        assert_eq!(Locale::negotiate(""), None);
        assert_eq!(Locale::parse("FR-ca"), Some(Locale::FrCa));
        assert_eq!(Locale::parse("fr"), None);
    }

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        assert_eq!(Locale::En.number(1234567), "1,234,567");
        assert_eq!(Locale::FrCa.number(1234), "1\u{202f}234");
        assert_eq!(Locale::Hi.number(1234567), "12,34,567");
        assert_eq!(Locale::Hi.number(-123), "-123");
        assert_eq!(Locale::En.number(0), "0");
    }
}
