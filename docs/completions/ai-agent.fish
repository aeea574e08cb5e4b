# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ai_agent_global_optspecs
    string join \n api-url= token= cli-settings= o/output= h/help V/version
end

function __fish_ai_agent_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ai_agent_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ai_agent_using_subcommand
    set -l cmd (__fish_ai_agent_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ai-agent -n "__fish_ai_agent_needs_command" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_needs_command" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_needs_command" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_needs_command" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_needs_command" -s V -l version -d 'Print version'
complete -c ai-agent -n "__fish_ai_agent_needs_command" -f -a "mcp" -d 'Manage MCP servers'
complete -c ai-agent -n "__fish_ai_agent_needs_command" -f -a "login" -d 'Check a token against the server and remember the URL and token'
complete -c ai-agent -n "__fish_ai_agent_needs_command" -f -a "logout" -d 'Forget the stored URL and token'
complete -c ai-agent -n "__fish_ai_agent_needs_command" -f -a "whoami" -d 'Show who the current token belongs to'
complete -c ai-agent -n "__fish_ai_agent_needs_command" -f -a "audit" -d 'Show the audit log, newest first: your changes (an admin sees everyone\'s)'
complete -c ai-agent -n "__fish_ai_agent_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c ai-agent -n "__fish_ai_agent_needs_command" -f -a "man" -d 'Print a man page (roff) to stdout: the CLI\'s, or a command\'s (`man mcp list`)'
complete -c ai-agent -n "__fish_ai_agent_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "list" -d 'List the servers you can see (yours and global ones)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "ls" -d 'List the servers you can see (yours and global ones)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "create" -d 'Register a new MCP server'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "add" -d 'Register a server in one line: `add NAME -- COMMAND ARGS…` or `add NAME URL`'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "add-json" -d 'Register a server from its JSON config, as `claude mcp add-json` takes it'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "get" -d 'Show one server'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "update" -d 'Change a server\'s description, config or state'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "delete" -d 'Delete one or more servers (asks first on a terminal, unless --yes)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "rm" -d 'Delete one or more servers (asks first on a terminal, unless --yes)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "health-check" -d 'Connect to a server (or all of them) and report its health'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "tools" -d 'List the tools a server offered at its last health check; `diff` and `approve` for the approved (pinned) set'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "import" -d 'Import servers from an MCP client config file (Claude Desktop, Cursor, …)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "export" -d 'Export your servers as an MCP client config file, to stdout'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "sync" -d 'Write your servers into an MCP client\'s own config file, changing nothing else in it'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "clients" -d 'List the MCP client config files on this machine and how far each is from the registry'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "templates" -d 'Show the built-in server templates, or create a server from one'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and not __fish_seen_subcommand_from list ls create add add-json get update delete rm health-check tools import export sync clients templates help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l type -d 'Only servers of this type (stdio, sse, http)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l health -d 'Only servers whose last check found this: healthy, unhealthy, needs_auth, unknown' -r -f -a "healthy\t''
unhealthy\t''
needs_auth\t''
unknown\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l sort -d 'Order by name, creation (oldest first) or health (failing first)' -r -f -a "name\t''
created\t''
health\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l enabled -d 'Only enabled (true) or disabled (false) servers' -r -f -a "true\t''
false\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l limit -d 'One page of at most N servers (1-1000), newest first, instead of all of them' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l after -d 'The page after the one that printed this cursor' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l global -d 'Only global servers'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l own -d 'Only your own servers'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l reveal -d 'Show the secret values of your own servers'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -l fresh -d 'Ask the server for a listing computed now, not the one it keeps until the data changes (a change made through another instance of a load-balanced server reaches it within milliseconds)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l type -d 'Only servers of this type (stdio, sse, http)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l health -d 'Only servers whose last check found this: healthy, unhealthy, needs_auth, unknown' -r -f -a "healthy\t''
unhealthy\t''
needs_auth\t''
unknown\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l sort -d 'Order by name, creation (oldest first) or health (failing first)' -r -f -a "name\t''
created\t''
health\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l enabled -d 'Only enabled (true) or disabled (false) servers' -r -f -a "true\t''
false\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l limit -d 'One page of at most N servers (1-1000), newest first, instead of all of them' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l after -d 'The page after the one that printed this cursor' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l global -d 'Only global servers'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l own -d 'Only your own servers'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l reveal -d 'Show the secret values of your own servers'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -l fresh -d 'Ask the server for a listing computed now, not the one it keeps until the data changes (a change made through another instance of a load-balanced server reaches it within milliseconds)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l name -l server-name -d 'Server name (defaults to the template\'s name with --from-template)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l description -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l type -d 'stdio, sse or http (guessed from --command / --url when absent)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l command -d 'Program to run (stdio)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l args -d 'Arguments as one shell-quoted string, e.g. \'"-y" "@pkg"\'' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l arg -d 'One argument; repeatable, appended after --args' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l env -d 'Environment variable KEY=VALUE (stdio); repeatable' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l url -d 'URL of a remote (sse/http) server' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l headers -d 'HTTP headers as a JSON object (sse/http)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l header -d 'One HTTP header NAME:VALUE; repeatable' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l startup-timeout -d 'Seconds the server has to start and answer the handshake' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l request-timeout -d 'Seconds each request after the handshake may take' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l check-tool -d 'A tool every check calls, which must succeed (choose one without effects)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l check-tool-args -d 'The arguments of --check-tool, as a JSON object' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l from-template -d 'Start from a built-in template (see `ai-agent mcp templates`)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l global -d 'Make the server visible to every user (admins only)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l disabled -d 'Register the server disabled'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l no-background-check -d 'Keep the server out of background checks'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -s i -l interactive -d 'Ask for whatever the flags do not give'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -l reveal -d 'Show the secret values in the answer'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -s t -l transport -d 'stdio (the default with a command), http (the default with a URL) or sse' -r -f -a "stdio\t''
http\t''
sse\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -s e -l env -d 'Environment variable of a stdio server; repeatable' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -s H -l header -d 'HTTP header of a remote server; repeatable' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l url -d 'The remote server\'s URL (or give it as the last argument)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l description -d 'What the server is for' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l startup-timeout -d 'Seconds the server has to start and answer the handshake' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l request-timeout -d 'Seconds each request after the handshake may take' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l check-tool -d 'A tool every check calls, which must succeed (choose one without effects)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l check-tool-args -d 'The arguments of --check-tool, as a JSON object' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l global -d 'Make the server visible to every user (admins only)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l disabled -d 'Register the server disabled'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l reveal -d 'Show the secret values in the answer'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -l no-background-check -d 'Keep the server out of background checks'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -l description -d 'What the server is for' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -l startup-timeout -d 'Seconds the server has to start and answer the handshake' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -l request-timeout -d 'Seconds each request after the handshake may take' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -l check-tool -d 'A tool every check calls, which must succeed (choose one without effects)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -l check-tool-args -d 'The arguments of --check-tool, as a JSON object' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -l global -d 'Make the server visible to every user (admins only)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -l no-background-check -d 'Keep the server out of background checks'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -l reveal -d 'Show the secret values in the answer'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from add-json" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from get" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from get" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from get" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from get" -l reveal -d 'Show the secret values (owner only)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l name -d 'Rename the server' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l description -d 'New description ("" clears it)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l config -d 'Replace the whole config: JSON, @FILE, or - for stdin; secret values given as *** stay as they are' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l command -d 'The stdio server\'s program' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l args -d 'The stdio server\'s arguments, as one shell-quoted string ("" for none)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l env -d 'Set an environment variable KEY=VALUE of a stdio server; repeatable' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l unset-env -d 'Remove an environment variable; repeatable' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l url -d 'The remote server\'s URL' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l header -d 'Set an HTTP header \'NAME: VALUE\' of a remote server; repeatable' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l unset-header -d 'Remove an HTTP header; repeatable' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l type -d 'Change the type along with --config' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l enabled -d 'Enable (true) or disable (false) the server' -r -f -a "true\t''
false\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l global -d 'Make the server global or not (admins only)' -r -f -a "true\t''
false\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l startup-timeout -d 'Seconds the server has to start and answer the handshake' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l request-timeout -d 'Seconds each request after the handshake may take' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l check-tool -d 'A tool every check calls, which must succeed (choose one without effects)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l check-tool-args -d 'The arguments of --check-tool, as a JSON object' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l no-background-check -d 'Keep the server out of background checks'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l background-check -d 'Let background checks take the server again'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l no-check-tool -d 'Stop calling a tool in checks'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -l default-checks -d 'Put every health-check setting back to the API server\'s defaults'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from delete" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from delete" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from delete" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask, even on a terminal'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from rm" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from rm" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from rm" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Do not ask, even on a terminal'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from health-check" -l concurrency -d 'With --all, how many checks run at once (each may start a process on the server)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from health-check" -l timeout -d 'Seconds each check may take to start and for each request, instead of the server\'s own limits' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from health-check" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from health-check" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from health-check" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from health-check" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from health-check" -l all -d 'Check every enabled server you can see, concurrently'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from health-check" -l include-disabled -d 'With --all, check disabled servers too'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from health-check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from tools" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from tools" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from tools" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from tools" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from tools" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from tools" -a "diff" -d 'Show what changed since the tools were approved (exit 11 when something did)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from tools" -a "approve" -d 'Approve the tools of the last healthy check, after showing what changed'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from tools" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from import" -l format -d 'The file\'s format (detected when absent), e.g. claude-desktop, vscode' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from import" -l from -d 'Read the client\'s own config files instead of FILE: every scope it has for this project (what the client itself runs here), or --scope\'s' -r -f -a "claude-desktop\t''
claude-code\t''
cursor\t''
vscode\t''
windsurf\t''
zed\t''
gemini\t''
codex\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from import" -l scope -d 'The client\'s user-wide file, a project\'s shared one, or the user\'s private settings for a project' -r -f -a "user\t''
project\t''
local\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from import" -l project -d 'The project of the project and local scopes [default: the current directory]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from import" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from import" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from import" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from import" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from import" -l override -d 'Replace servers that already exist with the same name'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from export" -l format -d 'The client format to write (default: the server\'s, claude-desktop)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from export" -l servers -d 'Only these servers (comma-separated names)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from export" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from export" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from export" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from export" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from export" -l no-global -d 'Leave out global servers'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from export" -l approved-only -d 'Leave out servers whose tools changed since they were approved, or were never approved (see `mcp tools diff`)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l client -d 'The client whose file to write' -r -f -a "claude-desktop\t''
claude-code\t''
cursor\t''
vscode\t''
windsurf\t''
zed\t''
gemini\t''
codex\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l scope -d 'The client\'s user-wide file, a project\'s shared one, or the user\'s private settings for a project' -r -f -a "user\t''
project\t''
local\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l project -d 'The project of the project and local scopes [default: the current directory]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l path -d 'Write this file instead of the client\'s default one for the scope' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l servers -d 'Only these servers (comma-separated names)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l secrets -d 'Write your secret values, or references to environment variables that the client expands [default: env for the project scope, else inline]' -r -f -a "inline\t''
env\t''"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l dry-run -d 'Show the change as a unified diff (secrets masked) and write nothing'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l prune -d 'Remove entries an earlier sync wrote whose servers are gone (never your own entries)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l force -d 'Overwrite or prune entries sync did not write or that were edited by hand'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l no-global -d 'Leave out global servers'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -l approved-only -d 'Leave out servers whose tools changed since they were approved, or were never approved (see `mcp tools diff`)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from clients" -l project -d 'The project whose project and local files to look at [default: the current directory]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from clients" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from clients" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from clients" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from clients" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from clients" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from templates" -l name -d 'Show only this template' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from templates" -l server-name -d 'The new server\'s name with --create (default: the template\'s name)' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from templates" -l env -d 'Env var KEY=VALUE for --create; repeatable' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from templates" -l arg -d 'A required argument of the template for --create, in order; repeatable' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from templates" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from templates" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from templates" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from templates" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from templates" -l create -d 'Create a server from the template given by --name'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from templates" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the servers you can see (yours and global ones)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "create" -d 'Register a new MCP server'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "add" -d 'Register a server in one line: `add NAME -- COMMAND ARGS…` or `add NAME URL`'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "add-json" -d 'Register a server from its JSON config, as `claude mcp add-json` takes it'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "get" -d 'Show one server'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a server\'s description, config or state'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete one or more servers (asks first on a terminal, unless --yes)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "health-check" -d 'Connect to a server (or all of them) and report its health'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "tools" -d 'List the tools a server offered at its last health check; `diff` and `approve` for the approved (pinned) set'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "import" -d 'Import servers from an MCP client config file (Claude Desktop, Cursor, …)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "export" -d 'Export your servers as an MCP client config file, to stdout'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Write your servers into an MCP client\'s own config file, changing nothing else in it'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "clients" -d 'List the MCP client config files on this machine and how far each is from the registry'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "templates" -d 'Show the built-in server templates, or create a server from one'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand login" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand login" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand login" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand login" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand login" -l with-token -d 'Read the token from standard input, e.g. `ai-agent login --with-token < token.txt` (keeps it out of the shell history and the process list)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand logout" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand logout" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand logout" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand logout" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand whoami" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand whoami" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand whoami" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand whoami" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand whoami" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand audit" -l server -d 'Only the entries about this server' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand audit" -l limit -d 'How many entries to show' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand audit" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand audit" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand audit" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand audit" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand completions" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand completions" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand completions" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand completions" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand man" -l api-url -d 'Base URL of the ai-agent server [default: the one `login` saved, else http://127.0.0.1:8080]' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand man" -l token -d 'API token' -r
complete -c ai-agent -n "__fish_ai_agent_using_subcommand man" -l cli-settings -d 'The CLI\'s own settings file, which `login` writes [default: <config dir>/ai-agent/config.json]' -r -F
complete -c ai-agent -n "__fish_ai_agent_using_subcommand man" -s o -l output -d 'Output format: tables for people, JSON in the API\'s shapes, or for lists wide or name' -r -f -a "table\t'Tables for people, as wide as the terminal (or COLUMNS)'
json\t'The API\'s JSON'
wide\t'Lists with every column (the id, tools, times); else as table'
name\t'Lists as names, one per line; else as table'"
complete -c ai-agent -n "__fish_ai_agent_using_subcommand man" -l list -d 'Print every page\'s file name and command instead (for `cargo xtask generate`)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and not __fish_seen_subcommand_from mcp login logout whoami audit completions man help" -f -a "mcp" -d 'Manage MCP servers'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and not __fish_seen_subcommand_from mcp login logout whoami audit completions man help" -f -a "login" -d 'Check a token against the server and remember the URL and token'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and not __fish_seen_subcommand_from mcp login logout whoami audit completions man help" -f -a "logout" -d 'Forget the stored URL and token'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and not __fish_seen_subcommand_from mcp login logout whoami audit completions man help" -f -a "whoami" -d 'Show who the current token belongs to'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and not __fish_seen_subcommand_from mcp login logout whoami audit completions man help" -f -a "audit" -d 'Show the audit log, newest first: your changes (an admin sees everyone\'s)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and not __fish_seen_subcommand_from mcp login logout whoami audit completions man help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and not __fish_seen_subcommand_from mcp login logout whoami audit completions man help" -f -a "man" -d 'Print a man page (roff) to stdout: the CLI\'s, or a command\'s (`man mcp list`)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and not __fish_seen_subcommand_from mcp login logout whoami audit completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "list" -d 'List the servers you can see (yours and global ones)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "create" -d 'Register a new MCP server'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "add" -d 'Register a server in one line: `add NAME -- COMMAND ARGS…` or `add NAME URL`'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "add-json" -d 'Register a server from its JSON config, as `claude mcp add-json` takes it'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "get" -d 'Show one server'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "update" -d 'Change a server\'s description, config or state'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "delete" -d 'Delete one or more servers (asks first on a terminal, unless --yes)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "health-check" -d 'Connect to a server (or all of them) and report its health'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "tools" -d 'List the tools a server offered at its last health check; `diff` and `approve` for the approved (pinned) set'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "import" -d 'Import servers from an MCP client config file (Claude Desktop, Cursor, …)'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "export" -d 'Export your servers as an MCP client config file, to stdout'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "sync" -d 'Write your servers into an MCP client\'s own config file, changing nothing else in it'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "clients" -d 'List the MCP client config files on this machine and how far each is from the registry'
complete -c ai-agent -n "__fish_ai_agent_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "templates" -d 'Show the built-in server templates, or create a server from one'
