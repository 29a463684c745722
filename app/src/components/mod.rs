//! Reusable view pieces.

pub mod badges;
pub mod forms;
pub mod layout;
pub mod live;
pub mod server_form;
pub mod upload;
