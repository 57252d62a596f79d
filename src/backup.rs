//! Policy backups: the previous resource policy, saved before every write so
//! `xapi policy restore` can put it back.
//!
//! Layout: `$XDG_STATE_HOME/xapi/backups/<api-id>/<UTC timestamp>-<pid>.json`
//! (falling back to `~/.local/state`). Names sort by time.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backup {
    pub api_id: String,
    pub account: String,
    pub region: String,
    pub saved_at: String,
    /// The policy as the API returned it; `None` when the API had none.
    pub policy: Option<String>,
}

pub struct BackupStore {
    root: PathBuf,
}

impl BackupStore {
    pub fn from_env() -> Result<Self> {
        let base = match std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
                Some(home) => PathBuf::from(home).join(".local").join("state"),
                None => {
                    return Err(Error::BadInput(
                        "cannot place policy backups: set XDG_STATE_HOME or HOME".into(),
                    ))
                }
            },
        };
        Ok(BackupStore {
            root: base.join("xapi").join("backups"),
        })
    }

    fn dir(&self, api_id: &str) -> PathBuf {
        self.root.join(api_id)
    }

    pub fn save(&self, backup: &Backup) -> Result<PathBuf> {
        let dir = self.dir(&backup.api_id);
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
            what: format!("creating the backup folder {}", dir.display()),
            source,
        })?;
        let path = dir.join(format!("{}-{}.json", backup.saved_at, std::process::id()));
        let text = serde_json::to_string_pretty(backup).map_err(|e| Error::Io {
            what: "serialising the backup".into(),
            source: std::io::Error::other(e),
        })?;
        std::fs::write(&path, text).map_err(|source| Error::Io {
            what: format!("writing the backup {}", path.display()),
            source,
        })?;
        Ok(path)
    }

    /// The newest backup of `api_id`, if any.
    pub fn latest(&self, api_id: &str) -> Result<Option<PathBuf>> {
        let dir = self.dir(api_id);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(Error::Io {
                    what: format!("reading {}", dir.display()),
                    source,
                })
            }
        };
        Ok(entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .max())
    }

    pub fn load(path: &Path) -> Result<Backup> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            what: format!("reading the backup {}", path.display()),
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| {
            Error::BadInput(format!(
                "{} is not an xapi policy backup: {e}",
                path.display()
            ))
        })
    }
}

/// `20261125T142439.123Z`: sorts as it reads, and is safe in a file name.
pub fn utc_timestamp(now: SystemTime) -> String {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_millis()
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_utc_and_sortable() {
        assert_eq!(utc_timestamp(UNIX_EPOCH), "19700101T000000.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_795_616_679_123);
        assert_eq!(utc_timestamp(t), "20261125T142439.123Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(&utc_timestamp(leap)[..8], "20000229");
    }

    #[test]
    fn saves_and_finds_the_latest() {
        let dir = tempfile::tempdir().unwrap();
        let store = BackupStore {
            root: dir.path().to_path_buf(),
        };
        assert_eq!(store.latest("a1b2c3d4e5").unwrap(), None);
        let mut b = Backup {
            api_id: "a1b2c3d4e5".into(),
            account: "111111111111".into(),
            region: "us-east-1".into(),
            saved_at: "20261125T142439.123Z".into(),
            policy: Some("{}".into()),
        };
        store.save(&b).unwrap();
        b.saved_at = "20261125T150000.000Z".into();
        b.policy = None;
        let newest = store.save(&b).unwrap();
        assert_eq!(store.latest("a1b2c3d4e5").unwrap(), Some(newest.clone()));
        assert_eq!(BackupStore::load(&newest).unwrap(), b);
    }
}
