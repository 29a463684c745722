//! Server-only domain code: database access, policy, audit chain, passwords. No view code here, and no SQL
//! anywhere else in the project. Layered (docs/architecture.md): `platform` ← `exchange` ← `oversight` ←
//! `data`, each using only itself and the layers before it; `state`, `settings`, `sign_in` and `own_factors`
//! are the application above them all. `layers` tests that shape from the sources.

pub mod data;
pub mod exchange;
pub mod oversight;
pub mod own_factors;
pub mod platform;
pub mod settings;
pub mod sign_in;
pub mod state;

#[cfg(test)]
mod layers;

pub use state::{context, context_allowing_pending_password, Actor, AppState};
