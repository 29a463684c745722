//! Server functions, one module per area. Each is thin: context (who), policy (may they), backend (do
//! it, with its audit event in the same transaction), and a wire type back.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod conditions;
pub mod confirmations;
pub mod dashboard;
pub mod notifications;
pub mod passkeys;
pub mod requests;
pub mod retention;
pub mod search;
pub mod tokens;
