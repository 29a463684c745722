//! Demo data for `make run` and `liaison-desk demo-data`: the agencies of DOMAIN.md and one account per
//! role and side, each with a freshly generated password (there is no default password anywhere).

use super::audit::{self, Event, Who};
use super::db::Db;
use super::{agencies, passwords, users};
use crate::error::AppError;
use crate::model::{Country, Role};
use serde_json::json;

pub const AGENCIES: &[(&str, &str, Country)] = &[
    ("CBI", "Central Bureau of Investigation", Country::India),
    ("NIA", "National Investigation Agency", Country::India),
    ("NCB", "Narcotics Control Bureau", Country::India),
    ("CERT-IN", "Indian Computer Emergency Response Team (CERT-In)", Country::India),
    ("I4C", "Indian Cyber Crime Coordination Centre", Country::India),
    ("RCMP", "Royal Canadian Mounted Police", Country::Canada),
    ("CSIS", "Canadian Security Intelligence Service", Country::Canada),
    ("CBSA", "Canada Border Services Agency", Country::Canada),
    ("CCCS", "Canadian Centre for Cyber Security", Country::Canada),
    ("PS", "Public Safety Canada", Country::Canada),
];

/// (username, display name, role, agency)
pub const ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    ("admin", "Meera Joshi (Admin)", Role::Admin, "PS"),
    ("in.supervisor", "Rajesh Kumar", Role::Supervisor, "NCB"),
    ("ca.supervisor", "Sarah Thompson", Role::Supervisor, "RCMP"),
    ("ncb.officer", "Priya Sharma", Role::Officer, "NCB"),
    ("cbi.officer", "Arjun Mehta", Role::Officer, "CBI"),
    ("certin.officer", "Kavya Iyer", Role::Officer, "CERT-IN"),
    ("rcmp.officer", "Daniel Tremblay", Role::Officer, "RCMP"),
    ("cbsa.officer", "Emily Chen", Role::Officer, "CBSA"),
    ("cccs.officer", "Marc Gagnon", Role::Officer, "CCCS"),
];

pub struct DemoAccount {
    pub username: String,
    pub role: Role,
    pub agency: String,
    pub password: String,
}

/// Loads the demo agencies and accounts. Refuses to run on a database that already has users.
pub async fn load(db: &Db) -> Result<Vec<DemoAccount>, AppError> {
    if users::count(&db.pool).await? > 0 {
        return Err(AppError::Conflict("The database already has users; demo data is only loaded into an empty one.".into()));
    }
    let mut issued = Vec::new();
    let mut hashes = Vec::new();
    for (username, ..) in ACCOUNTS {
        let password = passwords::generate();
        hashes.push(passwords::hash(password.clone()).await);
        issued.push((username, password));
    }
    let mut tx = db.begin_write().await?;
    let system = Who { username: Some("system".into()), ..Who::default() };
    for (code, name, country) in AGENCIES {
        let a = agencies::insert(&mut tx, code, name, *country).await?;
        audit::record(&mut tx, &system, Event::new("agency.create").on("agency", a.id).details(json!({"code": code, "source": "demo-data"}))).await?;
    }
    let mut out = Vec::new();
    for ((username, display_name, role, agency), ((_, password), hash)) in ACCOUNTS.iter().zip(issued.into_iter().zip(hashes)) {
        let new = users::NewUser {
            username: username.to_string(),
            display_name: display_name.to_string(),
            role: *role,
            agency_code: agency.to_string(),
            time_zone: None,
        };
        let row = users::insert(&mut tx, &new, &hash, false).await?;
        audit::record(&mut tx, &system, Event::new("user.create").on("user", row.id).details(json!({"username": username, "role": role.as_str(), "source": "demo-data"}))).await?;
        out.push(DemoAccount { username: username.to_string(), role: *role, agency: agency.to_string(), password });
    }
    tx.commit().await?;
    Ok(out)
}
