//! Backups: one file holding a consistent snapshot of the database and every
//! attachment, and the restore of such a file into an empty place.
//!
//! The database snapshot is taken first (SQLite's online backup API; a
//! REPEATABLE READ export with COPY on PostgreSQL). Attachments are copied
//! after it: blobs are immutable and only ever added, so every blob the
//! snapshot refers to is present, and a blob added meanwhile is harmless.
//!
//! The file is a tar archive: `manifest.json`, the engine's snapshot
//! (`database.sqlite` or `postgres/*.copy`) and `blobs/<sha256>`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use futures::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::blob::BlobStore;
use crate::Store;

pub const SQLITE_FILE: &str = "database.sqlite";
pub const PG_DIR: &str = "postgres";
const MANIFEST: &str = "manifest.json";
const BLOBS: &str = "blobs";
const FORMAT: u32 = 1;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub engine: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    pub blobs: usize,
}

/// Writes a backup of `store` and `blobs` to the file `to`. The file appears
/// whole or not at all.
pub async fn write_backup(store: &Store, blobs: &BlobStore, to: &Path) -> anyhow::Result<Manifest> {
    let parent = to
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let staging = tempfile::Builder::new()
        .prefix(".mudurluk-backup-")
        .tempdir_in(parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;
    store
        .snapshot(staging.path())
        .await
        .context("database snapshot failed")?;
    let blob_dir = staging.path().join(BLOBS);
    tokio::fs::create_dir_all(&blob_dir).await?;
    let listed = blobs.list().await?;
    for b in &listed {
        let mut file = tokio::fs::File::create(blob_dir.join(&b.sha256)).await?;
        let mut stream = blobs.get(&b.sha256).await?;
        while let Some(chunk) = stream.next().await {
            file.write_all(&chunk?).await?;
        }
        file.flush().await?;
    }
    let manifest = Manifest {
        format: FORMAT,
        engine: store.engine().name().into(),
        created_at: time::OffsetDateTime::now_utc(),
        blobs: listed.len(),
    };
    tokio::fs::write(
        staging.path().join(MANIFEST),
        serde_json::to_vec_pretty(&manifest)?,
    )
    .await?;
    let src = staging.path().to_path_buf();
    let to = to.to_path_buf();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let tmp = tempfile::NamedTempFile::new_in(
            to.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        )?;
        let mut tar = tar::Builder::new(std::io::BufWriter::new(tmp.reopen()?));
        tar.append_dir_all(".", &src)?;
        tar.into_inner()?
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()?;
        tmp.persist(&to)
            .with_context(|| format!("cannot write {}", to.display()))?;
        Ok(())
    })
    .await??;
    Ok(manifest)
}

/// Where a restore goes.
pub struct RestoreTarget<'a> {
    /// The data folder; must be missing or empty.
    pub data_dir: &'a Path,
    /// A PostgreSQL URL for a PostgreSQL backup; `None` for SQLite, which is
    /// restored into the data folder.
    pub database_url: Option<&'a str>,
}

fn dir_is_empty(p: &Path) -> anyhow::Result<bool> {
    match std::fs::read_dir(p) {
        Ok(mut it) => Ok(it.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", p.display())),
    }
}

/// Restores the backup file `from` into an empty place.
pub async fn restore(from: &Path, target: RestoreTarget<'_>) -> anyhow::Result<Manifest> {
    if !dir_is_empty(target.data_dir)? {
        bail!(
            "{} is not empty: restore only into an empty data folder",
            target.data_dir.display()
        );
    }
    let file =
        std::fs::File::open(from).with_context(|| format!("cannot open {}", from.display()))?;
    std::fs::create_dir_all(target.data_dir)
        .with_context(|| format!("cannot create {}", target.data_dir.display()))?;
    let unpacked = tempfile::Builder::new()
        .prefix(".restore-")
        .tempdir_in(target.data_dir)?;
    let dest: PathBuf = unpacked.path().to_path_buf();
    tokio::task::spawn_blocking(move || tar::Archive::new(file).unpack(&dest))
        .await?
        .with_context(|| format!("{} is not a Mudurluk backup file", from.display()))?;
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(unpacked.path().join(MANIFEST)).context("the backup has no manifest")?,
    )
    .context("the backup's manifest is unreadable")?;
    if manifest.format != FORMAT {
        bail!(
            "backup format {} is not supported (this version reads format {FORMAT})",
            manifest.format
        );
    }
    let result = restore_unpacked(unpacked.path(), &manifest, &target).await;
    drop(unpacked);
    if result.is_err() {
        // Leave the place as empty as we found it.
        if let Ok(entries) = std::fs::read_dir(target.data_dir) {
            for e in entries.flatten() {
                let _ = if e.path().is_dir() {
                    std::fs::remove_dir_all(e.path())
                } else {
                    std::fs::remove_file(e.path())
                };
            }
        }
    }
    result.map(|()| manifest)
}

async fn restore_unpacked(
    src: &Path,
    manifest: &Manifest,
    target: &RestoreTarget<'_>,
) -> anyhow::Result<()> {
    match (manifest.engine.as_str(), target.database_url) {
        ("sqlite", None) => {
            let db = target.data_dir.join("mudurluk.db");
            tokio::fs::copy(src.join(SQLITE_FILE), &db)
                .await
                .context("the backup has no SQLite database")?;
            let store = crate::connect(&crate::sqlite_url_in(target.data_dir)).await?;
            store.migrate().await?;
            store.close().await;
        }
        ("postgres", Some(url)) if url.starts_with("postgres") => {
            crate::postgres::restore_snapshot(url, src).await?;
        }
        ("sqlite", Some(_)) => bail!("this is a SQLite backup: restore it without --database-url"),
        ("postgres", _) => {
            bail!("this is a PostgreSQL backup: give the empty target database with --database-url")
        }
        (other, _) => bail!("unknown database engine {other:?} in the backup"),
    }
    let blobs = BlobStore::local(&target.data_dir.join("attachments"), u64::MAX)?;
    let mut entries = tokio::fs::read_dir(src.join(BLOBS)).await?;
    while let Some(e) = entries.next_entry().await? {
        let name = e.file_name().to_string_lossy().into_owned();
        let file = tokio::fs::File::open(e.path()).await?;
        let stored = blobs.put(tokio_util::io::ReaderStream::new(file)).await?;
        if stored.sha256 != name {
            bail!(
                "attachment {name} in the backup is damaged (its content does not match its hash)"
            );
        }
    }
    Ok(())
}
