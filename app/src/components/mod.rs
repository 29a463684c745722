//! Reusable view pieces.

pub mod forms;
pub mod layout;
