//! Enums stored as text columns, each with one conversion each way: a value
//! read back that is not one of its spellings is a deserialization error,
//! never a default. The shared types live in `mcp-model`, which knows no
//! database, so each gets a newtype here that diesel reads and writes.

use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;
use mcp_model::ServerType;
use mcp_model::api::{HealthStatus, Role, ToolsStatus};

use super::Backend;

macro_rules! text_column {
    ($(#[$doc:meta])* $name:ident($inner:ty), $parse:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = Text)]
        pub struct $name(pub $inner);

        impl $name {
            fn parse(s: &str) -> deserialize::Result<Self> {
                let parse: fn(&str) -> Option<$inner> = $parse;
                parse(s).map($name).ok_or_else(|| {
                    format!(concat!("'{}' is not a stored ", stringify!($inner)), s.escape_debug()).into()
                })
            }
        }

        impl From<$inner> for $name {
            fn from(v: $inner) -> Self {
                $name(v)
            }
        }

        impl ToSql<Text, Sqlite> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <str as ToSql<Text, Sqlite>>::to_sql(self.0.as_str(), out)
            }
        }

        impl ToSql<Text, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(self.0.as_str(), out)
            }
        }

        impl ToSql<Text, Backend> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Backend>) -> serialize::Result {
                out.set_value((Text, self));
                Ok(IsNull::No)
            }
        }

        impl FromSql<Text, Sqlite> for $name {
            fn from_sql(bytes: <Sqlite as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                Self::parse(&<String as FromSql<Text, Sqlite>>::from_sql(bytes)?)
            }
        }

        impl FromSql<Text, Pg> for $name {
            fn from_sql(bytes: <Pg as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                Self::parse(&<String as FromSql<Text, Pg>>::from_sql(bytes)?)
            }
        }

        impl FromSql<Text, Backend> for $name {
            fn from_sql(bytes: <Backend as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<Self, Text>()
            }
        }
    };
}

text_column!(
    /// `server_type`: stdio, sse or http.
    DbServerType(ServerType),
    |s| ServerType::ALL.into_iter().find(|t| t.as_str() == s)
);
text_column!(
    /// `health_status`: healthy, unhealthy, needs_auth or unknown.
    DbHealthStatus(HealthStatus),
    HealthStatus::parse
);
text_column!(
    /// `tools_status`: unpinned, approved or changed.
    DbToolsStatus(ToolsStatus),
    ToolsStatus::parse
);
text_column!(
    /// `role`: user or admin.
    DbRole(Role),
    |s| match s {
        "admin" => Some(Role::Admin),
        "user" => Some(Role::User),
        _ => None,
    }
);
