-- Facts about the database itself: which key sealed its secrets, a row the
-- readiness probe rewrites to prove the database takes writes, one-time
-- data upgrades done.
CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('ready_probe', '');
