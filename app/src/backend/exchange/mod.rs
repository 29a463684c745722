//! The work itself: cases, requests and responses, attachments, indicators and named entities, the rules
//! about them (`rules`), who may see and do what (`policy`), deadlines and status changes. Uses `platform`.

pub mod attachments;
pub mod bulk;
pub mod case_page;
pub mod cases;
pub mod consents;
pub mod deadlines;
pub mod entities;
pub mod indicators;
pub mod legal_bases;
pub mod lifecycle;
pub mod policy;
pub mod request_page;
pub mod requests;
pub mod retention;
pub mod rules;
pub mod stix;
pub mod taxii;
