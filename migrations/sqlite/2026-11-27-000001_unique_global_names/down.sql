DROP INDEX mcp_servers_global_name;
