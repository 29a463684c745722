//! Reusable view pieces.

pub mod badges;
pub mod forms;
pub mod layout;
pub mod upload;
