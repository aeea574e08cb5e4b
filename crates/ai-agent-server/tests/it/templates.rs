use crate::both_backends;
use crate::support::*;

both_backends!(templates_list_one_and_unknown);

async fn templates_list_one_and_unknown(b: Backend) {
    let w = World::new(b).await;
    let all = w.alice.templates(None).await.unwrap();
    assert_eq!(all.total, 5);
    let names: Vec<&str> = all.templates.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "kubernetes",
            "filesystem",
            "postgres",
            "brave-search",
            "github"
        ]
    );
    let k8s = &all.templates[0];
    assert_eq!(k8s.required_env, ["KUBECONFIG"]);
    assert_eq!(all.templates[1].required_args, ["path"]);

    let one = w.alice.templates(Some("postgres")).await.unwrap();
    assert_eq!(one.total, 1);
    assert_eq!(one.templates[0].required_env, ["POSTGRES_URL"]);

    let err = w.alice.templates(Some("nope")).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(
        err.to_string()
            .contains("kubernetes, filesystem, postgres, brave-search, github"),
        "{err}"
    );

    // Like every /api/v1 route, it needs a token.
    let anon = Client::new(&w.server.url, None).unwrap();
    assert_eq!(status(anon.templates(None).await), 401);
    let resp = w
        .raw()
        .get(w.url("/api/v1/mcp-servers/templates?nmae=x"))
        .bearer_auth(&w.alice_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
}
