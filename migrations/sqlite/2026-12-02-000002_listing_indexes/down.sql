CREATE INDEX mcp_servers_global ON mcp_servers (is_global, is_enabled) WHERE deleted_at IS NULL;
DROP INDEX mcp_servers_global_order;
DROP INDEX mcp_servers_owner_order;
