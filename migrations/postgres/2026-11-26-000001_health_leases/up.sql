-- One row per server that background health checking has seen. An instance
-- checks a server only after claiming its lease with a conditional UPDATE
-- (lease_until < now), so with several instances over one database each
-- server is checked once per interval.
CREATE TABLE health_leases (
    server_id TEXT PRIMARY KEY NOT NULL REFERENCES mcp_servers(id),
    lease_until TIMESTAMP NOT NULL,
    holder TEXT NOT NULL
);
