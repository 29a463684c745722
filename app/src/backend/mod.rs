//! Server-only domain code: database access, policy, audit chain, passwords. No view code here, and no SQL
//! anywhere else in the project.

pub mod agencies;
pub mod audit;
pub mod auth;
pub mod db;
pub mod demo;
pub mod passwords;
pub mod policy;
pub mod settings;
pub mod state;
pub mod time;
pub mod users;

pub use state::{context, context_allowing_pending_password, Actor, AppState};
