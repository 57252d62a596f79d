//! Policy backups: the previous resource policy, saved before every write so
//! `xapi policy restore` can put it back.
//!
//! Layout: `$XDG_STATE_HOME/xapi/backups/<api-id>/<UTC timestamp>-<pid>.json`
//! (falling back to `~/.local/state`; a relative `XDG_STATE_HOME` is ignored,
//! as the XDG spec says). Names sort by time. Policies say who may call an
//! API, so the folders are private (0700) and the files too (0600, written as
//! [`crate::private_file`] writes every private file), and only files named as
//! xapi names them are ever picked as "the newest backup".

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
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
        Self::from_vars(std::env::var_os("XDG_STATE_HOME"), std::env::var_os("HOME"))
    }

    fn from_vars(
        xdg_state_home: Option<std::ffi::OsString>,
        home: Option<std::ffi::OsString>,
    ) -> Result<Self> {
        let base = match xdg_state_home.filter(|v| !v.is_empty() && Path::new(v).is_absolute()) {
            Some(dir) => PathBuf::from(dir),
            None => match home.filter(|v| !v.is_empty()) {
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
        private_dirs(&dir).map_err(|source| Error::Io {
            what: format!("creating the backup folder {}", dir.display()),
            source,
        })?;
        let path = dir.join(format!("{}-{}.json", backup.saved_at, std::process::id()));
        let text = serde_json::to_string_pretty(backup)
            .map_err(|e| Error::internal("serialising the backup", e))?;
        crate::private_file::write_private(&path, text.as_bytes()).map_err(|source| Error::Io {
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
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(is_backup_name)
            })
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

/// `<YYYYMMDD>T<HHMMSS>.<mmm>Z-<pid>.json`, exactly as [`BackupStore::save`] names files.
fn is_backup_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".json") else {
        return false;
    };
    let Some((stamp, pid)) = stem.split_once("Z-") else {
        return false;
    };
    let b = stamp.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    b.len() == 19
        && digits(0..8)
        && b[8] == b'T'
        && digits(9..15)
        && b[15] == b'.'
        && digits(16..19)
        && !pid.is_empty()
        && pid.bytes().all(|c| c.is_ascii_digit())
}

/// Create `dir` and its missing parents as 0700, and make `dir` 0700 even if it existed.
fn private_dirs(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700);
        builder.create(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    builder.create(dir)
}

/// `20261125T142439.123Z`: sorts as it reads, and is safe in a file name.
pub fn utc_timestamp(now: SystemTime) -> String {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // u64 seconds / 86,400 is below 2^48: it always fits an i64.
    let (y, m, d) = civil_from_days(i64::try_from(days).unwrap_or(i64::MAX));
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_millis()
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the algorithm keeps the day in 1..=31 and the month in 1..=12"
)]
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

    #[test]
    fn planted_files_never_win_and_everything_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let store = BackupStore {
            root: dir.path().join("xapi").join("backups"),
        };
        let b = Backup {
            api_id: "a1b2c3d4e5".into(),
            account: "111111111111".into(),
            region: "us-east-1".into(),
            saved_at: "20261125T142439.123Z".into(),
            policy: Some("{}".into()),
        };
        let ours = store.save(&b).unwrap();
        let folder = ours.parent().unwrap().to_path_buf();
        for planted in [
            "zzz.json",
            "20991231T235959.999Z.json",
            "20991231T235959.999Z-1.json.bak",
            "20991231T235959.999Z-x.json",
            "99991231T235959.999Z-1-evil.json",
        ] {
            std::fs::write(folder.join(planted), "{}").unwrap();
        }
        assert_eq!(store.latest("a1b2c3d4e5").unwrap(), Some(ours.clone()));
        assert!(is_backup_name("20991231T235959.999Z-12.json"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&ours), 0o600);
            assert_eq!(mode(&folder), 0o700);
            assert_eq!(mode(folder.parent().unwrap()), 0o700);
            // A folder that existed with wider permissions is narrowed.
            std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
            store.save(&b).unwrap();
            assert_eq!(mode(&folder), 0o700);
        }
    }

    #[test]
    fn a_relative_xdg_state_home_is_ignored() {
        let root = |xdg: Option<&str>, home: Option<&str>| {
            BackupStore::from_vars(xdg.map(Into::into), home.map(Into::into))
                .map(|s| s.root)
                .ok()
        };
        assert_eq!(
            root(Some("/var/state"), Some("/home/a")),
            Some(PathBuf::from("/var/state/xapi/backups"))
        );
        assert_eq!(
            root(Some("state"), Some("/home/a")),
            Some(PathBuf::from("/home/a/.local/state/xapi/backups"))
        );
        assert_eq!(
            root(Some(""), Some("/home/a")),
            Some(PathBuf::from("/home/a/.local/state/xapi/backups"))
        );
        assert_eq!(root(Some("state"), None), None);
    }
}
