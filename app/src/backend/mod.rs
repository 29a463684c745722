//! Server-only domain code: database access, policy, audit chain, passwords. No view code here, and no SQL
//! anywhere else in the project.

pub mod agencies;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod crosscheck;
pub mod dashboard;
pub mod db;
pub mod deadlines;
pub mod demo;
pub mod entities;
pub mod export;
pub mod indicators;
pub mod lifecycle;
pub mod notifications;
pub mod passwords;
pub mod pdf;
pub mod policy;
pub mod render_cache;
pub mod report;
pub mod requests;
pub mod rules;
pub mod search;
pub mod seed;
pub mod settings;
pub mod state;
pub mod stix;
pub mod time;
pub mod users;

pub use state::{context, context_allowing_pending_password, Actor, AppState};
