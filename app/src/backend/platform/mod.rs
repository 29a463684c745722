//! What every part of the product stands on: the database and its group commit, the audit chain,
//! accounts, agencies, sessions and passwords, time display, kept renders. Uses nothing else of the backend.

pub mod agencies;
pub mod audit;
pub mod auth;
pub mod db;
pub mod passwords;
pub mod render_cache;
pub mod time;
pub mod users;
