-- A listing reads the caller's rows through the first index and the global
-- rows through the second (partial: global rows only), each in the
-- listing's order, so that its cost does not grow with other users'
-- servers. The second replaces mcp_servers_global, which served only the
-- old single query.
CREATE INDEX mcp_servers_owner_order ON mcp_servers (user_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX mcp_servers_global_order ON mcp_servers (created_at, id) WHERE is_global AND is_enabled AND deleted_at IS NULL;
DROP INDEX mcp_servers_global;
