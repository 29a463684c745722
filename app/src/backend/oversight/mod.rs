//! What is read across the work: the supervisors' dashboard, search, the cross-check, notifications and
//! reminders, CSV exports and the PDF report. Uses `exchange` and `platform`.

pub mod alerts;
pub mod crosscheck;
pub mod dashboard;
pub mod export;
pub mod notifications;
pub mod pdf;
pub mod person_report;
pub mod report;
pub mod search;
