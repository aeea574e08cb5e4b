use serde_json::json;

use crate::both_backends;
use crate::support::*;

both_backends!(create_get_list_update_delete);

async fn create_get_list_update_delete(b: Backend) {
    let w = World::new(b).await;
    let created = w
        .alice
        .create_server(&stdio("k8s", &[("KUBECONFIG", "/secret/kc")]), false)
        .await
        .unwrap();
    assert_eq!(created.name, "k8s");
    assert_eq!(created.config.secrets()["KUBECONFIG"], "***");
    let got = w.alice.get_server("k8s", true).await.unwrap();
    assert_eq!(got.config.secrets()["KUBECONFIG"], "/secret/kc");
    let list = w.alice.list_servers(&Default::default()).await.unwrap();
    assert_eq!(list.total, 1);
    let upd = w
        .alice
        .update_server(
            &created.id.to_string(),
            &serde_json::from_value(json!({"description": "d"})).unwrap(),
            false,
        )
        .await
        .unwrap();
    assert_eq!(upd.description.as_deref(), Some("d"));
    w.alice.delete_server("k8s").await.unwrap();
    assert_eq!(status(w.alice.get_server("k8s", false).await), 404);
}
