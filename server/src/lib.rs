#![warn(clippy::too_many_lines)]
//! The Liaison Desk server: configuration, the axum router with its security layers, and the CLI
//! commands. Domain logic lives in `app::backend`; this crate wires it to HTTP and the shell.

pub mod archive;
pub mod cli;
pub mod config;
pub mod events;
pub mod files;
pub mod language;
pub mod mail;
pub mod metrics;
pub mod rest;
pub mod router;
pub mod security;
pub mod sessions;
