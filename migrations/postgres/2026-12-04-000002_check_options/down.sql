ALTER TABLE mcp_servers DROP COLUMN check_options;
