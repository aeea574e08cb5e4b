//! Copying every table of one database into another, for `migrate-to`.

use diesel::prelude::*;

use crate::db::{Database, DbConnection};
use crate::error::AppError;
use crate::repository::audit::AuditRow;
use crate::repository::servers::ServerRow;
use crate::repository::tokens::TokenRow;
use crate::repository::users::UserRow;
use crate::schema::{api_tokens, audit_logs, mcp_servers, users};

/// Rows read and written per statement while copying.
const PAGE: i64 = 500;

/// How many rows of each table a copy moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CopyCounts {
    pub users: usize,
    pub tokens: usize,
    pub servers: usize,
    pub audit_logs: usize,
}

/// Copies every row of one table, page by page in primary-key order, with a
/// multi-row insert per page on whichever backend the target is.
macro_rules! copy_table {
    ($src:expr, $dst:expr, $table:ident, $row:ty) => {{
        let mut copied = 0usize;
        loop {
            let page: Vec<$row> = $src.read(|c| {
                Ok($table::table
                    .order($table::id.asc())
                    .limit(PAGE)
                    .offset(copied as i64)
                    .load::<$row>(c)?)
            })?;
            if page.is_empty() {
                break;
            }
            let insert = diesel::insert_into($table::table).values(&page);
            match &mut *$dst {
                DbConnection::Sqlite(c) => insert.execute(c)?,
                DbConnection::Pg(c) => insert.execute(c)?,
            };
            copied += page.len();
        }
        copied
    }};
}

/// Copies users, tokens, servers and the audit log from `from` into `dst`
/// (inside the caller's transaction), page by page.
pub fn copy_tables(from: &Database, dst: &mut DbConnection) -> Result<CopyCounts, AppError> {
    Ok(CopyCounts {
        users: copy_table!(from, dst, users, UserRow),
        tokens: copy_table!(from, dst, api_tokens, TokenRow),
        servers: copy_table!(from, dst, mcp_servers, ServerRow),
        audit_logs: copy_table!(from, dst, audit_logs, AuditRow),
    })
}
