//! The listing as two merged queries: own servers and unshadowed globals in
//! one order, cursor pages that walk it whole, totals that count it right.

use ai_agent::client::{ExportSelection, ListParams};

use crate::both_backends;
use crate::support::*;

both_backends!(
    cursor_pages_walk_the_whole_listing,
    exports_merge_in_age_order
);

/// Alice: four servers of her own and one shadowing a global; three
/// globals by the admin; five private servers of Bob's that she never sees.
async fn populated(b: Backend) -> World {
    let w = World::new(b).await;
    for i in 0..5 {
        w.bob
            .create_server(&stdio(&format!("b{i}"), &[]), false)
            .await
            .unwrap();
    }
    for i in 0..3 {
        let mut g = stdio(&format!("g{i}"), &[]);
        g.is_global = true;
        w.admin.create_server(&g, false).await.unwrap();
        w.alice
            .create_server(&stdio(&format!("a{i}"), &[]), false)
            .await
            .unwrap();
    }
    w.alice
        .create_server(&stdio("g1", &[]), false)
        .await
        .unwrap();
    w
}

async fn cursor_pages_walk_the_whole_listing(b: Backend) {
    let w = populated(b).await;
    let all = w.alice.list_servers(&ListParams::default()).await.unwrap();
    let names: Vec<&str> = all.items.iter().map(|s| s.name.as_str()).collect();
    // Newest first; her own g1 instead of the global one.
    assert_eq!(names, ["g1", "a2", "g2", "a1", "a0", "g0"]);
    assert_eq!(all.total, 6);
    assert_eq!(all.next_cursor, None);
    let own_g1 = &all.items[0];
    assert!(!own_g1.is_global);

    let mut walked = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let page = w
            .alice
            .list_servers(&ListParams {
                limit: Some(4),
                after: after.clone(),
                ..Default::default()
            })
            .await
            .unwrap();
        pages += 1;
        assert_eq!(page.total, 6, "the total is of the whole listing");
        walked.extend(page.items.iter().map(|s| s.id));
        match page.next_cursor {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    assert_eq!(pages, 2);
    let ids: Vec<_> = all.items.iter().map(|s| s.id).collect();
    assert_eq!(walked, ids);
    // Exactly a full page at the end: no empty page after it.
    let full = w
        .alice
        .list_servers(&ListParams {
            limit: Some(6),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(full.next_cursor, None);
    // What the CLI uses: every page by cursor, with the filters.
    let matched = w
        .alice
        .list_matching(&ListParams {
            enabled: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(matched.items.len(), 6);

    let both = ListParams {
        after: Some(after.clone().unwrap_or_default()),
        offset: Some(1),
        ..Default::default()
    };
    assert_eq!(status(w.alice.list_servers(&both).await), 422);
    for bad in ["", "not-a-cursor", "MjAyNi0wMS0wMVQwMDowMDowMC4wMDAwMDB8eA"] {
        let p = ListParams {
            after: Some(bad.into()),
            ..Default::default()
        };
        assert_eq!(status(w.alice.list_servers(&p).await), 422, "{bad}");
    }
    // Disabled only: no global is ever listed.
    let disabled = w
        .alice
        .list_servers(&ListParams {
            enabled: Some(false),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(disabled.total, 0);
}

async fn exports_merge_in_age_order(b: Backend) {
    let w = populated(b).await;
    let list = w
        .alice
        .export_list(&ExportSelection {
            include_global: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let names: Vec<&str> = list.servers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["a0", "a1", "a2", "g0", "g1", "g2"],
        "sorted by name"
    );
    let own_only = w
        .alice
        .export_list(&ExportSelection::default())
        .await
        .unwrap();
    assert_eq!(own_only.servers.len(), 4);
    let got = w.bob.get_server("g1", false).await.unwrap();
    assert!(got.is_global, "bob sees the global g1 by name");
    assert_eq!(status(w.bob.get_server("a0", false).await), 404);
}
