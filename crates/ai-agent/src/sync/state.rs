//! What earlier syncs wrote: for each file and server map, the name of each
//! entry and a hash of it as written. It is what tells the entries sync may
//! update or prune from the user's own. Kept beside the CLI's settings file,
//! readable by its owner only (the hashes are of entries that may hold
//! secrets).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::plan::Record;
use super::secrets::Secrets;
use crate::exit::{CliError, CliResult};
use crate::files;

const VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    pub maps: Vec<MapState>,
}

/// One server map of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapState {
    /// The file's real path (symbolic links followed).
    pub path: PathBuf,
    pub section: Vec<String>,
    pub client: String,
    /// What sync knows of each entry it wrote.
    pub entries: BTreeMap<String, Record>,
    /// How the last sync wrote secrets, which the next one does by default.
    pub secrets: Secrets,
}

impl State {
    /// The state file's path: `sync-state.json` beside `config`.
    pub fn path_beside(config: &Path) -> PathBuf {
        config.with_file_name("sync-state.json")
    }

    /// The saved state; an absent file is an empty one.
    pub fn load(path: &Path) -> CliResult<State> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let state: State = serde_json::from_str(&text).map_err(|e| {
                    CliError::generic(format!("{}: not a sync state file: {e}", path.display()))
                        .with_hint("remove it to start afresh (entries written earlier then count as your own)")
                })?;
                if state.version != VERSION {
                    return Err(CliError::generic(format!(
                        "{}: sync state version {} is not {VERSION}, which this ai-agent writes",
                        path.display(),
                        state.version
                    )));
                }
                Ok(state)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State {
                version: VERSION,
                maps: Vec::new(),
            }),
            Err(e) => Err(CliError::generic(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    pub fn save(&self, path: &Path) -> CliResult<()> {
        let mut text = serde_json::to_string_pretty(self)
            .map_err(|e| CliError::generic(format!("cannot encode the sync state: {e}")))?;
        text.push('\n');
        files::write_private(path, &text)
    }

    /// The entries sync wrote into the map at `section` of `path`.
    pub fn tracked(&self, path: &Path, section: &[String]) -> BTreeMap<String, Record> {
        self.find(path, section)
            .map(|m| m.entries.clone())
            .unwrap_or_default()
    }

    /// How the last sync of the map wrote secrets.
    pub fn secrets(&self, path: &Path, section: &[String]) -> Option<Secrets> {
        self.find(path, section).map(|m| m.secrets)
    }

    fn find(&self, path: &Path, section: &[String]) -> Option<&MapState> {
        self.maps
            .iter()
            .find(|m| m.path == path && m.section == section)
    }

    /// Records what sync now owns in a map; a map with nothing left is forgotten.
    pub fn set(
        &mut self,
        path: &Path,
        section: &[String],
        client: &str,
        secrets: Secrets,
        entries: BTreeMap<String, Record>,
    ) {
        self.maps
            .retain(|m| !(m.path == path && m.section == section));
        if !entries.is_empty() {
            self.maps.push(MapState {
                path: path.to_path_buf(),
                section: section.to_vec(),
                client: client.to_string(),
                entries,
                secrets,
            });
            self.maps
                .sort_by(|a, b| (&a.path, &a.section).cmp(&(&b.path, &b.section)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_forgets_empty_maps() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = State::path_beside(&dir.path().join("config.json"));
        let mut s = State::load(&path).expect("absent is empty");
        let section = vec!["mcpServers".to_string()];
        s.set(
            Path::new("/f"),
            &section,
            "cursor",
            Secrets::Env,
            [(
                "a".to_string(),
                Record {
                    file: "h".into(),
                    registry: "r".into(),
                },
            )]
            .into(),
        );
        s.save(&path).expect("save");
        let loaded = State::load(&path).expect("load");
        assert_eq!(loaded, s);
        assert_eq!(loaded.tracked(Path::new("/f"), &section).len(), 1);
        assert!(loaded.tracked(Path::new("/g"), &section).is_empty());
        assert_eq!(
            loaded.secrets(Path::new("/f"), &section),
            Some(Secrets::Env)
        );
        s.set(
            Path::new("/f"),
            &section,
            "cursor",
            Secrets::Env,
            BTreeMap::new(),
        );
        assert!(s.maps.is_empty());
    }

    #[test]
    fn a_damaged_file_is_an_error_not_a_fresh_start() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sync-state.json");
        std::fs::write(&path, "{").expect("write");
        let e = State::load(&path).expect_err("damaged");
        assert!(e.message.contains("not a sync state file"), "{e}");
    }
}
