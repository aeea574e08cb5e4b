-- Every user sees the enabled global servers by name, so two globals may not
-- share one: listing, export and lookup by name would each have to pick one.
CREATE UNIQUE INDEX mcp_servers_global_name ON mcp_servers (name) WHERE is_global AND deleted_at IS NULL;
