//! One file per page.

pub mod admin_agencies;
pub mod admin_user_detail;
pub mod admin_users;
pub mod audit;
pub mod case_detail;
pub mod cases;
pub mod confirmations;
pub mod dashboard;
pub mod errors;
pub mod home;
pub mod inbox;
pub mod notifications;
pub mod profile;
pub mod request_detail;
pub mod requests;
pub mod retention;
pub mod search;
pub mod sign_in;
