//! Wire types and closed sets shared by browser and server. No database or view code here.

pub mod audit;
pub mod dashboard;
pub mod exchange;
pub mod permissions;
pub mod users;

pub use audit::*;
pub use dashboard::*;
pub use exchange::*;
pub use users::*;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Declares a closed set stored as TEXT (with a CHECK constraint) and shown to users with a label.
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => ($text:literal, $label:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $($text => Ok($name::$variant),)+ _ => Err(format!("unknown {}: {s}", stringify!($name))) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.label()) }
        }
    };
}
pub(crate) use text_enum;


text_enum!(
    /// What a user may do is decided from this (see `backend::policy`).
    Role {
        Officer => ("officer", "Liaison officer"),
        Supervisor => ("supervisor", "Supervisor"),
        Admin => ("admin", "Admin"),
    }
);

text_enum!(Country {
    India => ("IN", "India"),
    Canada => ("CA", "Canada"),
});

impl Country {
    /// The zone a new user of this country gets until they choose another.
    pub fn default_time_zone(self) -> &'static str {
        match self {
            Country::India => "Asia/Kolkata",
            Country::Canada => "America/Toronto",
        }
    }
}

text_enum!(UserStatus {
    Active => ("active", "Active"),
    Disabled => ("disabled", "Disabled"),
});
