//! One file per page.

pub mod admin_agencies;
pub mod admin_user_detail;
pub mod admin_users;
pub mod audit;
pub mod errors;
pub mod home;
pub mod profile;
pub mod sign_in;
