//! Wire types and closed sets shared by browser and server. No database or view code here.

pub mod audit;
pub mod dashboard;
pub mod exchange;
pub mod forms;
pub mod permissions;
pub mod tokens;
pub mod users;

pub use audit::*;
pub use dashboard::*;
pub use exchange::*;
pub use forms::*;
pub use tokens::*;
pub use users::*;

use serde::{Deserialize, Serialize};

/// Marks a request the browser makes by itself (the live parts of a page refreshing): it does not keep the
/// session alive, so an unattended page still reaches the idle timeout.
pub const BACKGROUND_HEADER: &str = "x-ld-background";
use std::fmt;
use std::str::FromStr;

/// Declares a closed set stored as TEXT (with a CHECK constraint) and shown to users with a label.
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => ($text:literal, $label:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
        // On the wire (the browser's calls, the API) each member is its stored code, so an integrator
        // reads and writes one vocabulary: "CA", "B", "2", "amber".
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

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

        // The API's description: a string, one of the stored codes (written out here because the schema
        // derive does not read a `rename` given through this macro).
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {}

        impl $crate::model::ClosedSet for $name {
            const SET: &'static str = stringify!($name);
            fn code(self) -> &'static str { self.as_str() }
        }

        // Stored as TEXT. A stored value outside the set is a decode error (logged, and the call fails
        // with Internal) rather than a silent default: a corrupt row must never read as "officer" or "India".
        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Sqlite> for $name {
            fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
                <&str as sqlx::Type<sqlx::Sqlite>>::type_info()
            }
            fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Sqlite>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Sqlite> for $name {
            fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<sqlx::Sqlite>>::decode(value)?;
                Ok(text.parse::<$name>()?)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> sqlx::Encode<'q, sqlx::Sqlite> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut Vec<sqlx::sqlite::SqliteArgumentValue<'q>>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Sqlite>>::encode_by_ref(&self.as_str(), buf)
            }
        }
    };
}
pub(crate) use text_enum;

/// A closed set declared by `text_enum!`: its name and each member's stored code, which together name the
/// member's label in the catalogues (`<Set>-<code>`, see `i18n::LabelIn`).
pub trait ClosedSet: Copy {
    const SET: &'static str;
    fn code(self) -> &'static str;
}

text_enum!(
    /// The languages the product speaks, by BCP 47 tag (the cookie, `<html lang>`, an account's saved
    /// choice). The label is the language's own name, as the switch shows it, so a reader who cannot read
    /// the current language still finds theirs. `Pseudo` (`en-XA`) is English with every catalogue word
    /// accented and bracketed: tests select it to find any word that escaped the catalogue; it is never
    /// offered.
    Locale {
        En => ("en", "English"),
        FrCa => ("fr-CA", "Français"),
        Hi => ("hi", "हिन्दी"),
        Pseudo => ("en-XA", "[Ƥşḗŭḓǿ]"),
    }
);

// Not derived: the enum is declared by `text_enum!`, which has no place for `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for Locale {
    fn default() -> Self {
        Locale::En
    }
}

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
    /// The other side of the exchange (the deployment is bilateral).
    pub fn counterpart(self) -> Country {
        match self {
            Country::India => Country::Canada,
            Country::Canada => Country::India,
        }
    }

    /// The capital's zone: where this country's officers sit, the zone a new user of this country gets
    /// until they choose another, and "the other capital" shown beside a due time to the other side.
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    /// A stored value outside its closed set is an error, never a default such as "officer" or "India".
    #[tokio::test]
    async fn a_stored_value_outside_the_set_fails_to_read() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        let role: Role = sqlx::query_scalar("SELECT 'supervisor'").fetch_one(&pool).await.unwrap();
        assert_eq!(role, Role::Supervisor);
        let stored: Country = sqlx::query_scalar("SELECT ?").bind(Country::Canada).fetch_one(&pool).await.unwrap();
        assert_eq!(stored, Country::Canada);
        assert!(sqlx::query_scalar::<_, Role>("SELECT 'superuser'").fetch_one(&pool).await.is_err());
        assert!(sqlx::query_scalar::<_, Country>("SELECT 'FR'").fetch_one(&pool).await.is_err());
        assert!(sqlx::query_scalar::<_, UserStatus>("SELECT ''").fetch_one(&pool).await.is_err());
    }
}
