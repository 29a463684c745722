//! What every part of the product stands on: the database and its group commit, the audit chain,
//! accounts, agencies, sessions and passwords, the instance's signing key and the audit checkpoints it signs,
//! time display, kept renders. Uses nothing else of the backend.

pub mod account_changes;
pub mod agencies;
pub mod audit;
pub mod auth;
pub mod checkpoints;
pub mod client_addr;
pub mod db;
pub mod event_words;
pub mod identity;
pub mod passkeys;
pub mod passwords;
pub mod render_cache;
pub mod second_factor;
pub mod secrets;
pub mod time;
pub mod tokens;
pub mod users;
