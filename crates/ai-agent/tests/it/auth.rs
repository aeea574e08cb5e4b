//! login / logout / whoami and where connection settings come from.

use crate::support::{Env, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_whoami_logout() {
    let env = Env::new().await;
    let mut cmd = env.bare();
    cmd.args(["login", "--api-url", &env.server.url, "--token", &env.token]);
    let out = run(cmd).await;
    out.success();
    assert!(out.stdout.contains("as alice (user)"), "{out:?}");

    let file = env.config_file();
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("json");
    assert_eq!(stored["api_url"], env.server.url.as_str());
    assert_eq!(stored["token"], env.token.as_str());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner may read the token");
    }

    // No flags, no environment: the file is used.
    let mut cmd = env.bare();
    cmd.args(["whoami", "-o", "json"]);
    let me = run(cmd).await;
    let me = me.success().json();
    assert_eq!(me["name"], "alice");
    assert_eq!(me["role"], "user");

    let mut cmd = env.bare();
    cmd.arg("whoami");
    let table = run(cmd).await;
    table.success();
    assert!(table.stdout.contains("alice"), "{table:?}");
    assert!(table.stdout.contains(&env.server.url), "{table:?}");

    let mut cmd = env.bare();
    cmd.arg("logout");
    let out = run(cmd).await;
    out.success();
    assert!(!file.exists());

    let mut cmd = env.bare();
    cmd.arg("whoami");
    let out = run(cmd).await;
    assert!(out.failed(5).contains("not logged in"), "{out:?}");
    assert!(out.stderr.contains("ai-agent login"), "{out:?}");

    // Logging out twice is fine.
    let mut cmd = env.bare();
    cmd.arg("logout");
    run(cmd).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_with_a_bad_token_stores_nothing() {
    let env = Env::new().await;
    let mut cmd = env.bare();
    cmd.args(["login", "--api-url", &env.server.url, "--token", "wrong"]);
    run(cmd).await.failed(5);
    assert!(!env.config_file().exists());

    // Without a token and without a terminal to ask for one.
    let mut cmd = env.bare();
    cmd.args(["login", "--api-url", &env.server.url]);
    let out = run(cmd).await;
    assert!(out.failed(2).contains("API token"), "{out:?}");
    assert!(
        out.stderr.contains("login --with-token"),
        "the hint names login's own way: {out:?}"
    );
    assert!(!env.config_file().exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flags_beat_environment_beat_file() {
    let env = Env::new().await;
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", l.local_addr().expect("addr"))
    };
    let mut cmd = env.bare();
    cmd.args(["login", "--api-url", &env.server.url, "--token", &env.token]);
    run(cmd).await.success();

    // The environment beats the file.
    let mut cmd = env.bare();
    cmd.env("AI_AGENT_API_URL", &dead).arg("whoami");
    run(cmd).await.failed(6);

    // A flag beats the environment.
    let mut cmd = env.bare();
    cmd.env("AI_AGENT_API_URL", &dead)
        .args(["whoami", "--api-url", &env.server.url]);
    run(cmd).await.success();

    // The token too.
    let mut cmd = env.bare();
    cmd.env("AI_AGENT_TOKEN", "wrong").arg("whoami");
    run(cmd).await.failed(5);
    let mut cmd = env.bare();
    cmd.env("AI_AGENT_TOKEN", "wrong")
        .args(["whoami", "--token", &env.token]);
    run(cmd).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_settings_file_is_named() {
    let env = Env::new().await;
    std::fs::write(env.config_file(), "{not json").expect("write");
    let mut cmd = env.bare();
    cmd.arg("whoami");
    let out = run(cmd).await;
    assert!(out.failed(1).contains("config.json"), "{out:?}");
}

/// `login --with-token` reads the token from standard input (not the shell
/// history); `whoami -o json` says which server as well as who.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_with_token_from_stdin_and_whoami_names_the_server() {
    let env = Env::new().await;
    let mut cmd = env.bare();
    cmd.args(["login", "--with-token", "--api-url", &env.server.url])
        .write_stdin(format!("{}\n", env.token));
    let out = run(cmd).await;
    out.success();
    assert!(out.stdout.contains("as alice (user)"), "{out:?}");

    let mut cmd = env.bare();
    cmd.args(["whoami", "-o", "json"]);
    let me = run(cmd).await.success().json();
    assert_eq!(me["name"], "alice");
    assert_eq!(me["api_url"], env.server.url.as_str());

    let mut cmd = env.bare();
    cmd.args(["login", "--with-token", "--api-url", &env.server.url])
        .write_stdin("\n");
    let out = run(cmd).await;
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--with-token read no token"), "{out:?}");
}
