//! Who may do what: the only place that decides. Every server function and handler asks here, on the
//! server, for the object at hand. UI hiding is a convenience built on the same answers (`nav_for`).

use super::audit::AuditScope;
use crate::error::AppError;
pub use crate::model::permissions::{allows, Action, ALL_ACTIONS};
use crate::model::{Role, SessionUser};

pub fn ensure(user: &SessionUser, action: Action) -> Result<(), AppError> {
    if allows(user.role, action) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Admins read every event; supervisors only those of users of their own country.
pub fn audit_scope(user: &SessionUser) -> Result<AuditScope, AppError> {
    ensure(user, Action::ReadAudit)?;
    Ok(match user.role {
        Role::Admin => AuditScope::All,
        _ => AuditScope::Country(user.country),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Country;

    fn user(role: Role, country: Country) -> SessionUser {
        SessionUser {
            id: 1,
            username: "u".into(),
            display_name: "U".into(),
            role,
            agency_code: "X".into(),
            agency_name: "X".into(),
            country,
            time_zone: "UTC".into(),
            must_change_password: false,
        }
    }

    /// Every role × every action, written out as the expected answer.
    #[test]
    fn role_action_table() {
        use Action::*;
        let table: &[(Role, Action, bool)] = &[
            (Role::Officer, ManageAccounts, false),
            (Role::Officer, ManageAgencies, false),
            (Role::Officer, ReadAudit, false),
            (Role::Officer, WorkCases, true),
            (Role::Officer, ManageOwnProfile, true),
            (Role::Supervisor, ManageAccounts, false),
            (Role::Supervisor, ManageAgencies, false),
            (Role::Supervisor, ReadAudit, true),
            (Role::Supervisor, WorkCases, true),
            (Role::Supervisor, ManageOwnProfile, true),
            (Role::Admin, ManageAccounts, true),
            (Role::Admin, ManageAgencies, true),
            (Role::Admin, ReadAudit, true),
            (Role::Admin, WorkCases, false),
            (Role::Admin, ManageOwnProfile, true),
        ];
        assert_eq!(table.len(), Role::ALL.len() * ALL_ACTIONS.len(), "the table covers every pair");
        for &(role, action, expected) in table {
            assert_eq!(allows(role, action), expected, "{role:?} {action:?}");
            let result = ensure(&user(role, Country::India), action);
            assert_eq!(result.is_ok(), expected);
            if !expected {
                assert_eq!(result.unwrap_err(), AppError::Forbidden);
            }
        }
    }

    #[test]
    fn audit_scope_by_role() {
        assert_eq!(audit_scope(&user(Role::Admin, Country::India)), Ok(AuditScope::All));
        assert_eq!(audit_scope(&user(Role::Supervisor, Country::Canada)), Ok(AuditScope::Country(Country::Canada)));
        assert_eq!(audit_scope(&user(Role::Officer, Country::Canada)), Err(AppError::Forbidden));
    }
}
