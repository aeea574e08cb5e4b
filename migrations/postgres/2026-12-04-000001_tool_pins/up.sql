-- Tool pinning: whether the last healthy check offered the approved tools,
-- the approved definitions themselves (JSON: when, by whom, the set's
-- fingerprint and each tool as shown), and the tools of the last healthy
-- check (JSON: when and the tools), each kept apart from the last report so
-- that neither a later check nor a failing one overwrites them.
ALTER TABLE mcp_servers ADD COLUMN tools_status TEXT NOT NULL DEFAULT 'unpinned';
ALTER TABLE mcp_servers ADD COLUMN approved_tools TEXT;
ALTER TABLE mcp_servers ADD COLUMN healthy_tools TEXT;
