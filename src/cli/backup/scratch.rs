//! The scratch stores earlier versions proved a backup in, in the system's temporary folder:
//! a backup killed meanwhile left one behind, and the next backup sweeps it away, as the demo's
//! stores are. Backups are now proven by reading them back, with no scratch store.

use std::path::Path;

use super::folder::{process_gone, stale};

/// What every scratch store's folder name starts with, before the id of its process.
const PREFIX: &str = "counsel-log-verify-";

/// Removes the scratch stores in `tmp` left by backups that did not end normally (a kill, a
/// closed terminal): those whose process is gone, and any a day old.
pub fn sweep(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(PREFIX)) else {
            continue;
        };
        let pid = rest.split('-').next().unwrap_or_default();
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let ours = pid == std::process::id().to_string();
        if !ours && (process_gone(pid) || stale(&entry.path())) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweeping_removes_only_the_scratch_stores_of_ended_processes() {
        let tmp = tempfile::tempdir().unwrap();
        let ours = tmp
            .path()
            .join(format!("{PREFIX}{}-a.jsonl", std::process::id()));
        let ended = tmp.path().join(format!("{PREFIX}4294967295-a.jsonl"));
        let other = tmp.path().join(format!("{PREFIX}notes"));
        for dir in [&ours, &ended, &other] {
            std::fs::create_dir(dir).unwrap();
        }
        sweep(tmp.path());
        assert!(ours.exists() && other.exists());
        assert_eq!(ended.exists(), !Path::new("/proc/self").exists());
    }
}
