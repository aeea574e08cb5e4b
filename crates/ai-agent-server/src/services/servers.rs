//! MCP server registrations: visibility, ownership, validation, secrets and audit.

use mcp_model::api::{
    CheckOptions, CreateServer, HealthStatus, McpServer, ToolsStatus, UpdateServer,
};
use mcp_model::config::{infer_server_type, normalize};
use mcp_model::name::validate_name;
use mcp_model::secrets::{reject_masks, unmask_from};
use mcp_model::validation::validate_description;
use mcp_model::{ServerConfig, ServerType, ValidationError};
use serde_json::json;
use uuid::Uuid;

use super::{Actor, audit, parse_uuid, utc};
use crate::crypto::SecretKey;
use crate::db::{Database, DbConnection};
use crate::error::AppError;
use crate::limits::Limits;
use crate::repository::servers::{ServerChanges, ServerRow};
use crate::repository::{self};

/// How a request names a server: by id, or by name among those the caller sees.
#[derive(Debug, Clone)]
pub enum ServerRef {
    Id(Uuid),
    Name(String),
}

impl ServerRef {
    pub(crate) fn parse(raw: &str) -> Result<Self, AppError> {
        if let Ok(id) = Uuid::parse_str(raw) {
            return Ok(ServerRef::Id(id));
        }
        validate_name(raw).map_err(|_| {
            AppError::BadRequest(format!(
                "'{}' is neither a server id nor a valid server name",
                raw.escape_debug()
            ))
        })?;
        Ok(ServerRef::Name(raw.to_string()))
    }

    pub(crate) fn describe(&self) -> String {
        match self {
            ServerRef::Id(id) => format!("id '{id}'"),
            ServerRef::Name(n) => format!("name '{n}'"),
        }
    }
}

fn duplicate(name: &str) -> AppError {
    AppError::Conflict(format!("MCP server with name '{name}' already exists"))
}

/// Maps the unique index's verdict to the spec's message.
fn on_unique(name: &str) -> impl FnOnce(diesel::result::Error) -> AppError + '_ {
    move |e| match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => duplicate(name),
        other => other.into(),
    }
}

/// The stored form of a config: masked JSON, and the sealed secrets.
pub(crate) fn seal_config(
    key: &SecretKey,
    id: &str,
    config: &ServerConfig,
) -> Result<(String, String), AppError> {
    let masked = serde_json::to_string(&config.masked()).map_err(AppError::internal)?;
    let sealed = key.seal(id, &config.secret_values())?;
    Ok((masked, sealed))
}

/// The config of a stored row, with real secret values when `reveal`.
pub(crate) fn row_config(
    key: &SecretKey,
    row: &ServerRow,
    reveal: bool,
) -> Result<ServerConfig, AppError> {
    // Read as the stored type says rather than through the untagged enum,
    // which buffers the whole value before it tries each variant.
    let parsed = match row.server_type.0 {
        ServerType::Stdio => serde_json::from_str(&row.config).map(ServerConfig::Stdio),
        ServerType::Sse | ServerType::Http => {
            serde_json::from_str(&row.config).map(ServerConfig::Remote)
        }
    };
    let mut config = parsed
        .map_err(|e| AppError::internal(format!("stored config of {} is invalid: {e}", row.id)))?;
    if reveal {
        config.restore_secrets(&key.open(&row.id, &row.secrets)?);
    }
    Ok(config)
}

pub(crate) fn to_api(key: &SecretKey, row: ServerRow, reveal: bool) -> Result<McpServer, AppError> {
    let config = row_config(key, &row, reveal)?;
    let check = check_options(&row)?;
    Ok(McpServer {
        id: parse_uuid(&row.id)?,
        server_type: row.server_type.0,
        name: row.name,
        description: row.description,
        config,
        is_global: row.is_global,
        is_enabled: row.is_enabled,
        health_status: row.health_status.0,
        last_health_check_at: row.last_health_check_at.map(utc),
        tools_status: row.tools_status.0,
        check,
        user_id: parse_uuid(&row.user_id)?,
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    })
}

/// A server's own health-check settings, as stored.
pub(crate) fn check_options(row: &ServerRow) -> Result<CheckOptions, AppError> {
    serde_json::from_str(&row.check_options).map_err(|e| {
        AppError::internal(format!(
            "stored check options of {} are invalid: {e}",
            row.id
        ))
    })
}

fn check_json(o: &CheckOptions) -> Result<String, AppError> {
    serde_json::to_string(o).map_err(AppError::internal)
}

/// Whether `actor` may see the real secret values of `row`: only its owner.
pub(super) fn may_reveal(actor: &Actor, row: &ServerRow) -> bool {
    row.user_id == actor.id_str()
}

/// A validated create request: what will be stored.
#[derive(Debug, Clone)]
pub struct NewServer {
    pub name: String,
    pub description: Option<String>,
    pub server_type: ServerType,
    pub config: ServerConfig,
    pub is_global: bool,
    pub is_enabled: bool,
    pub check: CheckOptions,
}

/// Applies every rule of a create request that needs no database.
pub fn validate_create(actor: &Actor, req: CreateServer) -> Result<NewServer, AppError> {
    validate_name(&req.name)?;
    if let Some(d) = &req.description {
        validate_description(d)?;
    }
    let server_type = match req.server_type {
        Some(t) => t,
        None => infer_server_type(&req.config)?.ok_or_else(|| {
            ValidationError::new(
                "server_type",
                "is required (stdio, sse or http) when config has no 'type', 'command' or 'url'",
            )
        })?,
    };
    let config = normalize(server_type, &req.config)?;
    reject_masks(&config)?;
    let check = req.check.unwrap_or_default();
    check.validate()?;
    if req.is_global && !actor.is_admin() {
        return Err(AppError::Forbidden(
            "only admins may create global MCP servers".into(),
        ));
    }
    Ok(NewServer {
        name: req.name,
        description: req.description,
        server_type,
        config,
        is_global: req.is_global,
        is_enabled: req.is_enabled,
        check,
    })
}

/// The row for a new server, with its config sealed.
pub(crate) fn new_row(
    key: &SecretKey,
    actor: &Actor,
    s: &NewServer,
) -> Result<ServerRow, AppError> {
    let id = Uuid::now_v7().to_string();
    let (config, secrets) = seal_config(key, &id, &s.config)?;
    let now = repository::now();
    Ok(ServerRow {
        id,
        user_id: actor.id_str(),
        name: s.name.clone(),
        description: s.description.clone(),
        server_type: s.server_type.into(),
        config,
        secrets,
        is_global: s.is_global,
        is_enabled: s.is_enabled,
        health_status: HealthStatus::Unknown.into(),
        last_health_check_at: None,
        health_report: None,
        created_at: now,
        updated_at: now,
        deleted_at: None,
        tools_status: ToolsStatus::Unpinned.into(),
        approved_tools: None,
        healthy_tools: None,
        check_options: check_json(&s.check)?,
    })
}

pub(crate) fn create(
    db: &Database,
    key: &SecretKey,
    limits: &Limits,
    actor: &Actor,
    req: CreateServer,
    reveal: bool,
) -> Result<McpServer, AppError> {
    let new = validate_create(actor, req)?;
    let row = new_row(key, actor, &new)?;
    db.write(|conn| {
        if repository::servers::find_own_by_name(conn, &row.user_id, &row.name)?.is_some() {
            return Err(duplicate(&row.name));
        }
        if limits.max_servers_per_user.is_some() {
            let owned = repository::servers::count_own(conn, &row.user_id)?;
            limits.check_servers(u64::try_from(owned).unwrap_or(0), 1)?;
        }
        repository::servers::insert(conn, &row).map_err(on_unique(&row.name))?;
        audit::record(
            conn,
            actor,
            "mcp_server_create",
            "mcp_server",
            &row.id,
            json!({"name": row.name, "server_type": row.server_type.0, "is_global": row.is_global}),
        )
    })?;
    to_api(key, row, reveal)
}

/// Finds a server the caller may look at: their own, a global one, or any
/// one for an admin. Anything else is "not found", so that private servers'
/// existence is not disclosed.
pub(crate) fn find_visible(
    conn: &mut DbConnection,
    actor: &Actor,
    server: &ServerRef,
) -> Result<ServerRow, AppError> {
    let row = match server {
        ServerRef::Id(id) => repository::servers::find_by_id(conn, &id.to_string())?.filter(|r| {
            r.user_id == actor.id_str() || (r.is_global && r.is_enabled) || actor.is_admin()
        }),
        ServerRef::Name(name) => {
            match repository::visible::find_visible_by_name(conn, &actor.id_str(), name)? {
                Some(row) => Some(row),
                // An admin may open any server by id, so by name too, as
                // long as the name names one server.
                None if actor.is_admin() => {
                    let mut rows = repository::servers::find_any_by_name(conn, name)?;
                    if rows.len() > 1 {
                        return Err(AppError::Conflict(format!(
                            "several users have an MCP server named '{name}'; name it by its id"
                        )));
                    }
                    rows.pop()
                }
                None => None,
            }
        }
    };
    row.ok_or_else(|| {
        AppError::NotFound(format!("MCP server with {} not found", server.describe()))
    })
}

pub(crate) fn get(
    db: &Database,
    key: &SecretKey,
    actor: &Actor,
    server: &ServerRef,
    reveal: bool,
) -> Result<McpServer, AppError> {
    let row = db.read(|conn| find_visible(conn, actor, server))?;
    let reveal = reveal && may_reveal(actor, &row);
    to_api(key, row, reveal)
}

/// Finds a server the caller may change: only its owner, not even an admin
/// (as the spec says). Others who can see it get 403.
fn find_owned_for_update(
    conn: &mut DbConnection,
    actor: &Actor,
    server: &ServerRef,
) -> Result<ServerRow, AppError> {
    let seen = find_visible(conn, actor, server)?;
    if seen.user_id != actor.id_str() {
        return Err(AppError::Forbidden(
            "Not authorized to modify this server".into(),
        ));
    }
    let not_found =
        || AppError::NotFound(format!("MCP server with {} not found", server.describe()));
    let locked =
        repository::servers::find_by_id_for_update(conn, &seen.id)?.ok_or_else(not_found)?;
    // Found by name before the lock, a concurrent rename may have taken the
    // name away in between: then this request's server is gone.
    match server {
        ServerRef::Name(n) if *n != locked.name => Err(not_found()),
        _ => Ok(locked),
    }
}

pub(crate) fn update(
    db: &Database,
    key: &SecretKey,
    actor: &Actor,
    server: &ServerRef,
    req: UpdateServer,
    reveal: bool,
) -> Result<McpServer, AppError> {
    if req.is_empty() {
        return Err(AppError::BadRequest(
            "nothing to update: give at least one field".into(),
        ));
    }
    if let Some(n) = &req.name {
        validate_name(n)?;
    }
    if let Some(Some(d)) = &req.description {
        validate_description(d)?;
    }
    if req.is_global == Some(true) && !actor.is_admin() {
        return Err(AppError::Forbidden(
            "only admins may make an MCP server global".into(),
        ));
    }
    let row = db.write(|conn| {
        let old = find_owned_for_update(conn, actor, server)?;
        let old_type = old.server_type.0;
        let mut changes = ServerChanges::default();
        let mut changed = Vec::new();
        if let Some(n) = req.name.as_ref().filter(|n| **n != old.name) {
            if repository::servers::find_own_by_name(conn, &old.user_id, n)?.is_some() {
                return Err(duplicate(n));
            }
            changes.name = Some(n.clone());
            changed.push("name");
        }
        if let Some(d) = &req.description {
            changes.description = Some(d.clone());
            changed.push("description");
        }
        let new_type = req.server_type.unwrap_or(old_type);
        if req.config.is_some() || new_type != old_type {
            let raw = req.config.as_ref().ok_or_else(|| {
                ValidationError::new(
                    "config",
                    format!("is required to change server_type from {old_type} to {new_type}"),
                )
            })?;
            let mut config = normalize(new_type, raw)?;
            let old_config = row_config(key, &old, true)?;
            unmask_from(&mut config, &old_config)?;
            let (masked, sealed) = seal_config(key, &old.id, &config)?;
            changes.server_type = Some(new_type.into());
            changes.config = Some(masked);
            changes.secrets = Some(sealed);
            // The last check was of another config: what its tools are is
            // unknown until the next healthy check compares them with the pin.
            changes.health_status = Some(HealthStatus::Unknown.into());
            changes.health_report = Some(None);
            changes.last_health_check_at = Some(None);
            changes.tools_status = Some(ToolsStatus::Unpinned.into());
            changed.push("config");
            if new_type != old_type {
                changed.push("server_type");
            }
        }
        if let Some(e) = req.is_enabled {
            changes.is_enabled = Some(e);
            changed.push("is_enabled");
        }
        if let Some(c) = &req.check {
            c.validate()?;
            changes.check_options = Some(check_json(c)?);
            changed.push("check");
        }
        if let Some(g) = req.is_global {
            changes.is_global = Some(g);
            changed.push("is_global");
        }
        changes.updated_at = Some(repository::now());
        let name = changes.name.clone().unwrap_or_else(|| old.name.clone());
        repository::servers::update(conn, &old.id, &changes).map_err(on_unique(&name))?;
        let mut details = json!({"name": name, "changed": changed});
        if let Some(d) = &req.description {
            details["description"] = json!(d);
        }
        if let Some(e) = req.is_enabled {
            details["is_enabled"] = json!(e);
        }
        audit::record(
            conn,
            actor,
            "mcp_server_update",
            "mcp_server",
            &old.id,
            details,
        )?;
        repository::servers::find_by_id(conn, &old.id)?
            .ok_or_else(|| AppError::internal("updated server vanished"))
    })?;
    to_api(key, row, reveal)
}

pub(crate) fn delete(db: &Database, actor: &Actor, server: &ServerRef) -> Result<(), AppError> {
    db.write(|conn| {
        let row = find_owned_for_update(conn, actor, server)?;
        repository::servers::soft_delete(conn, &row.id, repository::now())?;
        audit::record(
            conn,
            actor,
            "mcp_server_delete",
            "mcp_server",
            &row.id,
            json!({"name": row.name}),
        )
    })
}
