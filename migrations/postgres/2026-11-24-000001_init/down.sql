DROP TABLE audit_logs;
DROP TABLE mcp_servers;
DROP TABLE api_tokens;
DROP TABLE users;
