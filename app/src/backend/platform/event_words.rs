//! An audit event said as a person would say it, in the reader's language ("Priya Sharma (NCB) read the
//! request “Import records”"), for the case history and the audit trail. Each action has its own sentence
//! in the catalogues (`ev-` and the action's code with `-` for `.` and `_`); the code itself stays beside the
//! sentence for those who search the trail by it.

use crate::i18n::{self, Args, Locale};

/// What a sentence is made of: who acted (their name, their agency's code), what on (already worded:
/// `quoted` or `numbered`, or empty), and the event's outcome as stored.
pub struct Told<'a> {
    pub who: &'a str,
    pub agency: &'a str,
    pub object: &'a str,
    pub outcome: &'a str,
}

/// The catalogue key of an action's sentence.
pub fn key(action: &str) -> String {
    format!("ev-{}", action.replace(['.', '_'], "-"))
}

/// A name or title the reader may see, quoted as their language quotes.
pub fn quoted(l: Locale, text: &str) -> String {
    tr!(l, "ev-quoted", text = text.to_string())
}

/// An object known only by its number (the reader may not see its content, or it was purged).
pub fn numbered(l: Locale, id: &str) -> String {
    tr!(l, "ev-numbered", id = id.to_string())
}

/// The event as a sentence in `l`. An action without a sentence of its own (one added later) is said with
/// its code rather than not at all.
pub fn sentence(l: Locale, action: &str, t: &Told<'_>) -> String {
    let who = match (t.who.is_empty(), t.agency.is_empty()) {
        (true, _) => tr!(l, "ev-someone"),
        (false, true) => t.who.to_string(),
        (false, false) => format!("{} ({})", t.who, t.agency),
    };
    let key = key(action);
    let said = if i18n::has(Locale::En, &key) {
        let mut args = Args::new();
        args.set("who", i18n::arg(who));
        args.set("object", i18n::arg(t.object.to_string()));
        i18n::t(l, &key, Some(&args))
    } else {
        tr!(l, "ev-other", who = who, action = action.to_string())
    };
    match t.outcome {
        "denied" => tr!(l, "ev-denied", what = said),
        "failure" => tr!(l, "ev-failure", what = said),
        _ => said,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every action the code records, read from the sources: `Event::new("…")`.
    fn recorded_actions() -> Vec<String> {
        let mut found = std::collections::BTreeSet::new();
        let roots = [concat!(env!("CARGO_MANIFEST_DIR"), "/src"), concat!(env!("CARGO_MANIFEST_DIR"), "/../server/src")];
        let mut dirs: Vec<std::path::PathBuf> = roots.iter().map(std::path::PathBuf::from).collect();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("source folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("readable");
                    for part in text.split("Event::new(\"").skip(1) {
                        // An action's code: lower-case words joined by dots and underscores (not a placeholder in prose).
                        let code = part.split('"').next().unwrap_or_default();
                        if !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_') {
                            found.insert(code.to_string());
                        }
                    }
                }
            }
        }
        found.into_iter().collect()
    }

    #[test]
    fn every_recorded_action_has_a_sentence_in_every_language() {
        let actions = recorded_actions();
        assert!(actions.len() > 50, "the sources were read: {actions:?}");
        for action in &actions {
            for l in [Locale::En, Locale::FrCa, Locale::Hi] {
                assert!(i18n::has(l, &key(action)), "no sentence for {action} in {l:?}");
            }
        }
    }

    #[test]
    fn a_sentence_names_the_person_their_agency_and_the_object_and_says_a_refusal() {
        let t = Told { who: "Priya Sharma", agency: "NCB", object: &quoted(Locale::En, "Import records"), outcome: "success" };
        assert_eq!(sentence(Locale::En, "request.read", &t), "Priya Sharma (NCB) read the request “Import records”");
        let fr = Told { object: &quoted(Locale::FrCa, "Import records"), ..t };
        assert_eq!(sentence(Locale::FrCa, "request.read", &fr), "Priya Sharma (NCB) a lu la demande « Import records »");
        let refused = Told { outcome: "denied", object: "", ..fr };
        assert!(sentence(Locale::En, "audit.read", &refused).starts_with("Refused: Priya Sharma (NCB)"));
        let unknown = sentence(Locale::En, "something.new", &Told { who: "", agency: "", object: "", outcome: "success" });
        assert_eq!(unknown, "Someone: something.new");
    }
}
