//! Reusable view pieces.

pub mod badges;
pub mod bulk;
pub mod case_links;
pub mod dashboard_figures;
pub mod forms;
pub mod layout;
pub mod lists;
pub mod live;
pub mod passkey;
pub mod server_form;
pub mod upload;
