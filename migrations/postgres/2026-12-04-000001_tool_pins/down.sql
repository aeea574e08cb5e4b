ALTER TABLE mcp_servers DROP COLUMN healthy_tools;
ALTER TABLE mcp_servers DROP COLUMN approved_tools;
ALTER TABLE mcp_servers DROP COLUMN tools_status;
