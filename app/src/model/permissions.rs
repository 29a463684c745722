//! The role × action table: what each role may do at all. The browser uses it to choose the navigation;
//! the server's `backend::policy` uses it (plus object-level rules) to decide. One table, two uses.

use super::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// List, create and change user accounts; unlock; reset passwords.
    ManageAccounts,
    /// List and create agencies.
    ManageAgencies,
    /// Read the audit trail (the scope is decided by `audit_scope`).
    ReadAudit,
    /// Read or write case contents (cases, requests, responses, attachments, indicators).
    /// Admins never: account power is not content access.
    WorkCases,
    /// Change one's own password and profile.
    ManageOwnProfile,
    /// Decide which outgoing requests of one's agency need a supervisor's approval.
    SetApprovalPolicy,
    /// The country's dashboard: backlog, timeliness, workload.
    ViewDashboard,
    /// See and decide account changes that wait for a second person (four-eyes); which ones a user may
    /// decide is `backend::policy::may_decide_account_change`.
    ConfirmAccountChanges,
    /// Hand many cases to another lead, or close them, at once (staff turnover, clean-ups); each case is
    /// still checked on its own (`backend::exchange::bulk`).
    ChangeCasesInBulk,
    /// Hold API tokens and call `/api/v1` with them: the roles that work cases (the API serves case work
    /// only; account administration stays on the pages, behind a second factor).
    UseApi,
    /// Keep one's country's lists that are law, not case content (admins): the legal bases for requests, and
    /// how long closed cases are kept before their retention review.
    ManageCountryLists,
    /// Review closed cases for retention (keep with a reason, or purge) and run the person-centred report
    /// for a data-protection request: supervisors, for their country.
    ReviewRetention,
}

pub const ALL_ACTIONS: &[Action] = &[
    Action::ManageAccounts,
    Action::ManageAgencies,
    Action::ReadAudit,
    Action::WorkCases,
    Action::ManageOwnProfile,
    Action::SetApprovalPolicy,
    Action::ViewDashboard,
    Action::ConfirmAccountChanges,
    Action::ChangeCasesInBulk,
    Action::UseApi,
    Action::ManageCountryLists,
    Action::ReviewRetention,
];

pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    match (role, action) {
        (_, ManageOwnProfile) => true,
        (Role::Admin, ManageCountryLists) => true,
        (Role::Officer | Role::Supervisor, ManageCountryLists) => false,
        (Role::Supervisor, ReviewRetention) => true,
        (Role::Officer | Role::Admin, ReviewRetention) => false,
        (Role::Officer | Role::Supervisor, UseApi) => true,
        (Role::Admin, UseApi) => false,
        (Role::Supervisor | Role::Admin, ConfirmAccountChanges) => true,
        (Role::Officer, ConfirmAccountChanges) => false,
        (Role::Supervisor, SetApprovalPolicy | ViewDashboard | ChangeCasesInBulk) => true,
        (Role::Officer | Role::Admin, SetApprovalPolicy | ViewDashboard | ChangeCasesInBulk) => false,
        (Role::Admin, ManageAccounts | ManageAgencies | ReadAudit) => true,
        (Role::Admin, WorkCases) => false,
        (Role::Supervisor, ReadAudit | WorkCases) => true,
        (Role::Supervisor, ManageAccounts | ManageAgencies) => false,
        (Role::Officer, WorkCases) => true,
        (Role::Officer, ManageAccounts | ManageAgencies | ReadAudit) => false,
    }
}
