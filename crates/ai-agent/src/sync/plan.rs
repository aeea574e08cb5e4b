//! What a sync changes in one server map, decided from three things only:
//! the entries the registry wants there, the entries the file has, and the
//! entries an earlier sync wrote (with a hash of each as written). No I/O, so
//! every rule is a unit test.

use std::collections::{BTreeMap, BTreeSet};

use mcp_model::formats::edit::Change;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Each server as the client would spell it, or why the client cannot take it.
pub type Desired = Vec<(String, Result<Value, String>)>;

/// What sync knows of an entry it wrote: the hash of the entry as the file
/// held it after the last sync, and of the registry's server as spelled for
/// the client then. The first tells a hand edit, the second a registry change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Record {
    pub file: String,
    pub registry: String,
}

/// What happens to one name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "action", content = "reason")]
pub enum Action {
    Add,
    Update,
    /// Already as the registry has it.
    Unchanged,
    /// Written by an earlier sync, not among the servers synced now, removed (`--prune`).
    Remove,
    /// Written by an earlier sync, not among the servers synced now, kept (no `--prune`).
    Stale,
    /// Edited by hand since sync wrote it, while the registry's server stayed
    /// as it was then: the edit is kept (`--force` undoes it).
    Edited,
    /// Left alone: the entry is the user's (`--force` takes it over).
    Conflict(String),
    /// The client cannot take the server.
    Skipped(String),
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub name: String,
    #[serde(flatten)]
    pub action: Action,
}

/// The whole decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Sorted by name.
    pub items: Vec<Item>,
    pub changes: Vec<Change>,
    /// The names sync owns once the changes are written.
    pub owned: BTreeSet<String>,
}

impl Plan {
    pub fn count(&self, pred: impl Fn(&Action) -> bool) -> usize {
        self.items.iter().filter(|i| pred(&i.action)).count()
    }

    pub fn conflicts(&self) -> usize {
        self.count(|a| matches!(a, Action::Conflict(_)))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub prune: bool,
    pub force: bool,
    /// Entries an earlier sync wrote for these servers go as with `prune`:
    /// the registry now holds them back (their tools are not approved).
    pub withdraw: BTreeSet<String>,
}

/// A stable hash of an entry, whatever order its keys are in, to tell
/// later whether someone edited it by hand.
pub fn entry_hash(v: &Value) -> String {
    let digest = Sha256::digest(mcp_model::canonical::canonical_json(v).as_bytes());
    format!("{digest:x}")
}

/// Decides every name. `desired` holds each registry server the sync is
/// about, as the client would spell it or why it cannot; `tracked` maps each
/// name an earlier sync wrote to the [`entry_hash`] of what it wrote; `same`
/// tells whether two entries of a name are one server spelled two ways.
pub fn plan(
    desired: &[(String, Result<Value, String>)],
    existing: &[(String, Value)],
    tracked: &BTreeMap<String, Record>,
    opts: &Options,
    same: impl Fn(&str, &Value, &Value) -> bool,
) -> Plan {
    let existing: BTreeMap<&str, &Value> = existing.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let mut items = Vec::new();
    let mut changes = Vec::new();
    let mut owned = BTreeSet::new();
    // Whether the entry in the file is still what sync wrote.
    let untouched =
        |name: &str, v: &Value| tracked.get(name).is_some_and(|r| r.file == entry_hash(v));
    let registry_same = |name: &str, v: &Value| {
        tracked
            .get(name)
            .is_some_and(|r| r.registry == entry_hash(v))
    };
    let mut wanted = BTreeSet::new();
    for (name, want) in desired {
        wanted.insert(name.as_str());
        let want = match want {
            Ok(v) => v,
            Err(why) => {
                if tracked.contains_key(name) && existing.contains_key(name.as_str()) {
                    owned.insert(name.clone());
                }
                items.push(item(name, Action::Skipped(why.clone())));
                continue;
            }
        };
        let action = match existing.get(name.as_str()) {
            None => Action::Add,
            Some(have) if same(name, have, want) => {
                if tracked.contains_key(name) {
                    owned.insert(name.clone());
                }
                items.push(item(name, Action::Unchanged));
                continue;
            }
            Some(have) if untouched(name, have) || opts.force => Action::Update,
            Some(_) if registry_same(name, want) => Action::Edited,
            Some(_) if tracked.contains_key(name) => Action::Conflict(
                "edited by hand since the last sync; --force overwrites it".into(),
            ),
            Some(_) => Action::Conflict(
                "the file already has an entry of that name that sync did not write; --force replaces it".into(),
            ),
        };
        if matches!(action, Action::Add | Action::Update) {
            changes.push(Change::Put(name.clone(), want.clone()));
            owned.insert(name.clone());
        } else if tracked.contains_key(name) {
            // Edited by hand, yet still the entry sync wrote.
            owned.insert(name.clone());
        }
        items.push(item(name, action));
    }
    for name in tracked.keys() {
        if wanted.contains(name.as_str()) {
            continue;
        }
        // Gone from the file too: nothing left to own.
        let Some(have) = existing.get(name.as_str()) else {
            continue;
        };
        let action = if !opts.prune && !opts.withdraw.contains(name) {
            owned.insert(name.clone());
            Action::Stale
        } else if untouched(name, have) || opts.force {
            changes.push(Change::Remove(name.clone()));
            Action::Remove
        } else {
            owned.insert(name.clone());
            Action::Conflict(
                "edited by hand since the last sync, so not pruned; --force removes it".into(),
            )
        };
        items.push(item(name, action));
    }
    items.sort_by(|a, b| a.name.cmp(&b.name));
    Plan {
        items,
        changes,
        owned,
    }
}

fn item(name: &str, action: Action) -> Item {
    Item {
        name: name.to_string(),
        action,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn want(pairs: &[(&str, Value)]) -> Vec<(String, Result<Value, String>)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Ok(v.clone())))
            .collect()
    }

    fn have(pairs: &[(&str, Value)]) -> Vec<(String, Value)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    /// Entries as an earlier sync wrote them, the registry's spelling being the same.
    fn tracked(pairs: &[(&str, &Value)]) -> BTreeMap<String, Record> {
        pairs
            .iter()
            .map(|(k, v)| {
                let h = entry_hash(v);
                (
                    k.to_string(),
                    Record {
                        file: h.clone(),
                        registry: h,
                    },
                )
            })
            .collect()
    }

    fn eq(_: &str, a: &Value, b: &Value) -> bool {
        a == b
    }

    fn actions(p: &Plan) -> Vec<(&str, &Action)> {
        p.items
            .iter()
            .map(|i| (i.name.as_str(), &i.action))
            .collect()
    }

    #[test]
    fn hash_ignores_key_order_but_not_values() {
        assert_eq!(
            entry_hash(&json!({"a": 1, "b": [1, {"x": "y", "w": null}]})),
            entry_hash(&json!({"b": [1, {"w": null, "x": "y"}], "a": 1}))
        );
        assert_ne!(entry_hash(&json!({"a": 1})), entry_hash(&json!({"a": 2})));
        assert_ne!(
            entry_hash(&json!({"a": [1, 2]})),
            entry_hash(&json!({"a": [2, 1]}))
        );
    }

    #[test]
    fn adds_updates_and_leaves_equal_entries_alone() {
        let old = json!({"command": "old"});
        let p = plan(
            &want(&[
                ("a", json!({"command": "a"})),
                ("b", json!({"command": "b"})),
                ("c", json!({"command": "c"})),
            ]),
            &have(&[("b", old.clone()), ("c", json!({"command": "c"}))]),
            &tracked(&[("b", &old)]),
            &Options::default(),
            eq,
        );
        assert_eq!(
            actions(&p),
            [
                ("a", &Action::Add),
                ("b", &Action::Update),
                ("c", &Action::Unchanged)
            ]
        );
        assert_eq!(
            p.changes,
            [
                Change::Put("a".into(), json!({"command": "a"})),
                Change::Put("b".into(), json!({"command": "b"}))
            ]
        );
        // `c` is identical but hand-written: it stays the user's.
        assert_eq!(p.owned, ["a".to_string(), "b".to_string()].into());
    }

    #[test]
    fn hand_written_and_hand_edited_entries_are_conflicts_unless_forced() {
        let synced = json!({"command": "x"});
        let edited = json!({"command": "x", "args": ["--mine"]});
        let desired = want(&[
            ("mine", json!({"command": "reg"})),
            ("edited", json!({"command": "reg"})),
        ]);
        let existing = have(&[("mine", json!({"command": "own"})), ("edited", edited)]);
        let t = tracked(&[("edited", &synced)]);
        let p = plan(&desired, &existing, &t, &Options::default(), eq);
        assert_eq!(p.conflicts(), 2);
        assert!(p.changes.is_empty());
        assert_eq!(
            p.owned,
            ["edited".to_string()].into(),
            "still ours, edits and all"
        );
        let p = plan(
            &desired,
            &existing,
            &t,
            &Options {
                force: true,
                ..Options::default()
            },
            eq,
        );
        assert_eq!(p.conflicts(), 0);
        assert_eq!(p.changes.len(), 2);
        assert_eq!(p.owned.len(), 2);
    }

    #[test]
    fn prune_removes_only_what_sync_wrote_and_nobody_edited() {
        let gone = json!({"command": "gone"});
        let edited_was = json!({"command": "e"});
        let existing = have(&[
            ("gone", gone.clone()),
            ("edited", json!({"command": "e2"})),
            ("users", json!({"command": "u"})),
        ]);
        let t = tracked(&[
            ("gone", &gone),
            ("edited", &edited_was),
            ("deleted-by-hand", &gone),
        ]);
        let p = plan(&[], &existing, &t, &Options::default(), eq);
        assert_eq!(
            actions(&p),
            [("edited", &Action::Stale), ("gone", &Action::Stale)]
        );
        assert!(p.changes.is_empty());

        let p = plan(
            &[],
            &existing,
            &t,
            &Options {
                prune: true,
                force: false,
                ..Options::default()
            },
            eq,
        );
        assert_eq!(p.changes, [Change::Remove("gone".into())]);
        assert!(matches!(actions(&p)[0], ("edited", Action::Conflict(_))));
        assert_eq!(p.owned, ["edited".to_string()].into());

        let p = plan(
            &[],
            &existing,
            &t,
            &Options {
                prune: true,
                force: true,
                ..Options::default()
            },
            eq,
        );
        assert_eq!(p.changes.len(), 2, "the user's own entry is never pruned");
        assert!(p.owned.is_empty());
    }

    #[test]
    fn an_edit_is_kept_while_the_registry_has_not_changed() {
        let synced = json!({"command": "x"});
        let edited = json!({"command": "x", "args": ["--mine"]});
        let t = tracked(&[("a", &synced)]);
        let p = plan(
            &want(&[("a", synced.clone())]),
            &have(&[("a", edited.clone())]),
            &t,
            &Options::default(),
            eq,
        );
        assert_eq!(actions(&p), [("a", &Action::Edited)]);
        assert!(p.changes.is_empty());
        assert_eq!(p.owned, ["a".to_string()].into());
        let p = plan(
            &want(&[("a", json!({"command": "y"}))]),
            &have(&[("a", edited)]),
            &t,
            &Options::default(),
            eq,
        );
        assert_eq!(p.conflicts(), 1, "both changed");
    }

    #[test]
    fn a_server_the_client_cannot_take_is_skipped_not_pruned() {
        let e = json!({"url": "u"});
        let desired = vec![("sse".to_string(), Err("no SSE".to_string()))];
        let p = plan(
            &desired,
            &have(&[("sse", e.clone())]),
            &tracked(&[("sse", &e)]),
            &Options {
                prune: true,
                force: false,
                ..Options::default()
            },
            eq,
        );
        assert_eq!(actions(&p), [("sse", &Action::Skipped("no SSE".into()))]);
        assert!(p.changes.is_empty());
    }
}
