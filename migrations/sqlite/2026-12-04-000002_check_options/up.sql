-- A server's own health-check settings (mcp_model::check::CheckOptions as
-- JSON; '{}' is the API server's defaults).
ALTER TABLE mcp_servers ADD COLUMN check_options TEXT NOT NULL DEFAULT '{}';
