//! The rules: who may do what, what is valid, what is recorded. Handlers call
//! these; these call the repository.

pub mod audit;
pub mod health;
pub mod import_export;
pub mod maintenance;
pub mod servers;
pub mod users;

use chrono::{DateTime, NaiveDateTime, Utc};
use mcp_model::api::Role;
use uuid::Uuid;

use crate::error::AppError;

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
}

impl Actor {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn id_str(&self) -> String {
        self.id.to_string()
    }
}

pub(crate) fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

pub(crate) fn parse_uuid(s: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(s).map_err(|_| AppError::internal(format!("stored id '{s}' is not a UUID")))
}
