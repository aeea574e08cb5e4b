// The same schema on both backends: ids are TEXT (UUIDs), times are UTC
// TIMESTAMPs, JSON is TEXT, so one diesel schema serves SQLite and PostgreSQL.

diesel::table! {
    users (id) {
        id -> Text,
        name -> Text,
        role -> Text,
        is_active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        prefix -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mcp_servers (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        description -> Nullable<Text>,
        server_type -> Text,
        config -> Text,
        secrets -> Text,
        is_global -> Bool,
        is_enabled -> Bool,
        health_status -> Text,
        last_health_check_at -> Nullable<Timestamp>,
        health_report -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        tools_status -> Text,
        approved_tools -> Nullable<Text>,
        healthy_tools -> Nullable<Text>,
        check_options -> Text,
    }
}

diesel::table! {
    audit_logs (id) {
        id -> Text,
        user_id -> Text,
        action -> Text,
        resource_type -> Text,
        resource_id -> Text,
        details -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    health_leases (server_id) {
        server_id -> Text,
        lease_until -> Timestamp,
        holder -> Text,
    }
}

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(mcp_servers -> users (user_id));
diesel::joinable!(audit_logs -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    api_tokens,
    mcp_servers,
    audit_logs,
    health_leases,
    meta
);

diesel::table! {
    meta (key) {
        key -> Text,
        value -> Text,
    }
}
