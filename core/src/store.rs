//! Durable files: atomic replacement and exclusive advisory locks, shared by every store of the crate
//! ([`crate::registry::Registry::save`], [`crate::audit::AuditLog::save`], the locked audit append)
//! and by jobs that write output files.
//!
//! # Atomic replacement
//!
//! [`write_atomic`] (or [`write_atomic_with`], which streams it) writes the new content to a
//! temporary file in the **same folder** as the target (so the rename cannot cross file systems),
//! flushes it to the device (`fsync`), renames it over the target and, on Unix, fsyncs the folder so
//! the rename itself survives a power cut. POSIX `rename(2)` replaces the name atomically: a reader
//! opening the path sees either the whole old content or the whole new content, never an empty or
//! half-written file, and a crash leaves at worst a stray temporary file (`.<name>.tmp-<pid>-<n>`),
//! never a truncated target. On Windows `std::fs::rename`
//! uses `MoveFileExW(MOVEFILE_REPLACE_EXISTING)`, which replaces the file but offers no folder fsync.
//!
//! # Locks
//!
//! [`lock_exclusive`] opens (creating if needed) a file and takes an exclusive advisory lock on it
//! with [`std::fs::File::lock`] (`flock(LOCK_EX)` on Unix, `LockFileEx` on Windows); the lock is held
//! until the returned [`std::fs::File`] is dropped, and the OS releases it if the process dies.
//! Advisory means that only writers that also lock are kept out: every writer in this crate does.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// Distinguishes the temporary files of concurrent writers within one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// An I/O error naming the file concerned.
pub(crate) fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::Io(format!("{what} {}: {e}", path.display()))
}

/// The folder holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Replace the content of `path` with `bytes` atomically and durably (temp file in the same folder,
/// fsync, rename over the target, fsync of the folder where the platform allows; see the module
/// docs). The target's folder must exist. On error the target is unchanged and the temporary file is
/// removed.
pub fn write_atomic(path: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |out| out.write_all(bytes))
}

/// [`write_atomic`] for content produced by `write`, which streams it into a buffered writer on the
/// temporary file: a large file (a plan of 100,000 SKUs) is never held in memory whole. An error
/// `write` returns leaves the target unchanged, as any other.
///
/// ```
/// use std::io::Write;
/// let dir = std::env::temp_dir().join(format!("forestock-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("numbers.txt");
/// forestock::store::write_atomic_with(&path, |out| (1..=3).try_for_each(|i| writeln!(out, "{i}")))?;
/// assert_eq!(std::fs::read_to_string(&path)?, "1\n2\n3\n");
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_atomic_with<F>(path: impl AsRef<Path>, write: F) -> Result<()>
where
    F: FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
{
    let path = path.as_ref();
    let name = path.file_name().ok_or_else(|| Error::invalid_parameter("path", path.display(), "must name a file"))?;
    let dir = parent_dir(path);
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{}.tmp-{}-{n}", name.to_string_lossy(), std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut out = BufWriter::new(OpenOptions::new().write(true).create_new(true).open(&temp)?);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = written {
        // The temp file may or may not exist depending on where the write failed.
        let _ = std::fs::remove_file(&temp);
        return Err(io_error(path, "cannot write", e));
    }
    sync_dir(&dir).map_err(|e| io_error(&dir, "cannot sync folder", e))
}

/// Flush a folder's entries (the rename) to the device. Only Unix can open a folder for this.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Open `path` for reading and appending (created if absent) and take an exclusive advisory lock on
/// it, waiting for other holders. The lock lasts until the returned file is dropped.
pub fn lock_exclusive(path: impl AsRef<Path>) -> Result<File> {
    let path = path.as_ref();
    let file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| io_error(path, "cannot open", e))?;
    file.lock().map_err(|e| io_error(path, "cannot lock", e))?;
    Ok(file)
}

/// `true` when the open `file` is still the file that `path` names (it was not replaced by a rename
/// since it was opened). A writer that locks a file and then finds it replaced must retry on the new
/// file, or its write would go to the unlinked old one.
#[cfg(unix)]
pub(crate) fn is_current(file: &File, path: &Path) -> Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let open = file.metadata().map_err(|e| io_error(path, "cannot stat", e))?;
    match std::fs::metadata(path) {
        Ok(named) => Ok(open.dev() == named.dev() && open.ino() == named.ino()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_error(path, "cannot stat", e)),
    }
}

/// Without inode numbers, assume the file was not replaced (Windows cannot rename over an open file
/// without share-delete access, which std does not request).
#[cfg(not(unix))]
pub(crate) fn is_current(_file: &File, _path: &Path) -> Result<bool> {
    Ok(true)
}

/// The lock file that guards `path` when `path` itself is replaced by renames: `<path>.lock` in the
/// same folder (a rename gives the target a new inode, so a lock on the target would not exclude
/// the next writer).
pub(crate) fn lock_file_for(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    parent_dir(path).join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("forestock-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    #[test]
    fn replaces_content_and_leaves_no_temp_file() {
        let dir = scratch("replace");
        let path = dir.join("data.json");
        write_atomic(&path, b"first").expect("write");
        write_atomic(&path, b"second").expect("write");
        assert_eq!(std::fs::read(&path).expect("read"), b"second");
        let names: Vec<_> = std::fs::read_dir(&dir).expect("list").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("data.json")]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_stream_that_fails_half_way_leaves_the_target_unchanged() {
        let dir = scratch("stream");
        let path = dir.join("plan.json");
        write_atomic(&path, b"old").expect("write");
        let e = write_atomic_with(&path, |out| {
            out.write_all(&[b'x'; 100_000])?;
            Err(std::io::Error::other("serializer gave up"))
        })
        .expect_err("should fail");
        assert_eq!(e.code(), "ERR_IO");
        assert!(e.to_string().contains("plan.json") && e.to_string().contains("serializer gave up"), "{e}");
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
        let names: Vec<_> = std::fs::read_dir(&dir).expect("list").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("plan.json")]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn missing_folder_is_a_typed_error_naming_the_file() {
        let dir = scratch("missing");
        let path = dir.join("no-such-folder").join("data.json");
        let e = write_atomic(&path, b"x").expect_err("should fail");
        assert_eq!(e.code(), "ERR_IO");
        assert!(e.to_string().contains("data.json"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_replaced_file_is_not_current() {
        let dir = scratch("current");
        let path = dir.join("log.jsonl");
        let held = lock_exclusive(&path).expect("lock");
        assert!(is_current(&held, &path).expect("stat"));
        write_atomic(&path, b"new").expect("write");
        assert!(!is_current(&held, &path).expect("stat"));
        assert_eq!(lock_file_for(&path), dir.join("log.jsonl.lock"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
