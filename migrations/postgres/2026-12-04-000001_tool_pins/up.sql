-- Tool pinning: whether the last healthy check offered the approved tools,
-- and the approved definitions themselves (JSON: when, by whom, the set's
-- fingerprint and each tool as shown), kept apart from the last report so
-- that a later check cannot overwrite what was approved.
ALTER TABLE mcp_servers ADD COLUMN tools_status TEXT NOT NULL DEFAULT 'unpinned';
ALTER TABLE mcp_servers ADD COLUMN approved_tools TEXT;
