//! Files only their owner may read: policy backups and the snapshots
//! `doctor` and `audit` save (they hold policies, account ids and endpoint
//! ids). One way of writing them: the bytes go whole into a fresh 0600 file
//! beside the target, made with O_EXCL, which is then renamed over the target.
//! So a reader never sees half a file, a file that was there with a wider mode
//! is replaced rather than kept, and a symbolic link at the path is never
//! followed: a link is refused, and a link made after that check is replaced
//! by the rename, never written through.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Temporary names tried before giving up; each differs in its counter and clock.
const TEMP_ATTEMPTS: u32 = 64;

/// Write `bytes` to `path` as a private (0600) file, replacing a regular file there.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a symbolic link, and xapi never writes through one: name a regular file or a new path",
        ));
    }
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "it names a folder, not a file")
    })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (tmp, mut file) = create_temp(dir, &name.to_string_lossy())?;
    let done = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if done.is_err() {
        // Best effort: the error that matters is the one returned.
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

/// A new 0600 file in `dir` that did not exist before (O_EXCL: never an
/// existing file, never through a link someone planted at the name).
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    for attempt in 0..TEMP_ATTEMPTS {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let tmp = dir.join(format!(
            ".{name}.{}-{nanos:08x}-{attempt}.tmp",
            std::process::id()
        ));
        match options.open(&tmp) {
            Ok(file) => {
                // The mode above is filtered by the umask; this sets it exactly.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
                }
                return Ok((tmp, file));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "no free temporary name beside it after {TEMP_ATTEMPTS} tries in {}",
            dir.display()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    /// Nothing but the target is left in the folder.
    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn a_new_file_is_private_and_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snap.json");
        write_private(&path, b"{\"a\":1}\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"a\":1}\n");
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600);
        assert_eq!(names(dir.path()), ["snap.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_world_readable_file_is_replaced_by_a_private_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snap.json");
        std::fs::write(
            &path,
            "an older, longer snapshot that must not survive in part",
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        // A second name for the old file keeps the old bytes: the new ones go to a new inode.
        std::fs::hard_link(&path, dir.path().join("other")).unwrap();
        write_private(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("other")).unwrap(),
            "an older, longer snapshot that must not survive in part"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_refused_and_its_target_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let victim = elsewhere.join("authorized_keys");
        std::fs::write(&victim, "ssh-ed25519 AAAA me\n").unwrap();
        let link = dir.path().join("snap.json");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let err = write_private(&link, b"evidence").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&victim).unwrap(),
            "ssh-ed25519 AAAA me\n"
        );
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        // A dangling link (to a file not yet there) is refused as well, and creates nothing.
        let dangling = dir.path().join("dangling.json");
        let target = elsewhere.join("planted");
        std::os::unix::fs::symlink(&target, &dangling).unwrap();
        assert!(write_private(&dangling, b"evidence").is_err());
        assert!(!target.exists());
        assert_eq!(
            names(dir.path()),
            ["dangling.json", "elsewhere", "snap.json"]
        );
    }

    #[test]
    fn a_folder_or_a_missing_folder_is_an_error_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        assert!(write_private(&sub, b"x").is_err());
        assert!(write_private(&dir.path().join("missing").join("snap.json"), b"x").is_err());
        assert_eq!(names(dir.path()), ["sub"]);
        assert!(names(&sub).is_empty());
    }

    /// Writers racing on one path: each rename is atomic, so the file always
    /// holds exactly one writer's bytes, never a mix or a prefix.
    #[test]
    fn concurrent_writers_never_leave_a_mixed_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snap.json");
        let bodies: Vec<Vec<u8>> = (0u8..8).map(|i| vec![b'a' + i; 64 * 1024]).collect();
        std::thread::scope(|s| {
            for body in &bodies {
                let path = &path;
                s.spawn(move || {
                    for _ in 0..10 {
                        write_private(path, body).unwrap();
                    }
                });
            }
            let path = &path;
            s.spawn(move || {
                for _ in 0..200 {
                    if let Ok(seen) = std::fs::read(path) {
                        assert_eq!(seen.len(), 64 * 1024);
                        assert!(seen.iter().all(|b| *b == seen[0]));
                    }
                }
            });
        });
        let last = std::fs::read(&path).unwrap();
        assert!(bodies.contains(&last));
        assert_eq!(names(dir.path()), ["snap.json"]);
    }
}
