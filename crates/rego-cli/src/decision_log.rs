//! Decision logs: one JSON line per decision, in the shape of OPA's decision-log events,
//! appended to a file shared by every worker thread.
//!
//! Each event has `decision_id` (a random UUID), `labels` (`id`: this run's UUID, `version`,
//! and `file` for `rego validate`), `path` (the document asked for, `a/b/c`) or `query` (an
//! ad-hoc query), `input`, `result`, `timestamp` (RFC 3339, UTC, nanoseconds) and
//! `metrics.timer_rego_query_eval_ns`.

use serde_json::{Map, Value as Json, json};
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// An open decision log.
pub struct DecisionLog {
    path: PathBuf,
    file: Mutex<File>,
    instance_id: String,
}

/// What was decided.
pub struct Decision<'a> {
    /// The document's path below `data`, `kubernetes.manifests` or `kubernetes/manifests`
    /// (logged with slashes); `None` for an ad-hoc query.
    pub path: Option<&'a str>,
    /// The query, when it is not a plain document reference.
    pub query: Option<&'a str>,
    /// The input document.
    pub input: Option<Json>,
    /// The result; `None` when undefined.
    pub result: Option<Json>,
    /// Evaluation time.
    pub eval_ns: u64,
    /// Extra labels (`file` for `rego validate`).
    pub labels: Vec<(&'a str, String)>,
}

/// A decision log that could not be opened or written.
#[derive(Debug, thiserror::Error)]
#[error("decision log {path}: {reason}")]
pub struct LogError {
    path: String,
    reason: String,
}

impl DecisionLog {
    /// Opens `path` for appending, creating it if needed; an existing file is never
    /// truncated.
    pub fn open(path: &Path) -> Result<DecisionLog, LogError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| LogError {
                path: path.display().to_string(),
                reason: crate::load::io_reason(&e),
            })?;
        Ok(DecisionLog {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            instance_id: uuid::Uuid::new_v4().to_string(),
        })
    }

    /// Appends one event as one line, written whole.
    pub fn record(&self, decision: Decision<'_>) -> Result<(), LogError> {
        let mut line = serde_json::to_string(&self.event(decision)).unwrap_or_default();
        line.push('\n');
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        file.write_all(line.as_bytes()).map_err(|e| LogError {
            path: self.path.display().to_string(),
            reason: crate::load::io_reason(&e),
        })
    }

    /// The event object of a decision.
    fn event(&self, decision: Decision<'_>) -> Json {
        let mut labels = Map::new();
        labels.insert("id".into(), json!(self.instance_id));
        labels.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
        for (key, value) in decision.labels {
            labels.insert(key.into(), json!(value));
        }
        let mut event = Map::new();
        event.insert(
            "decision_id".into(),
            json!(uuid::Uuid::new_v4().to_string()),
        );
        event.insert("labels".into(), Json::Object(labels));
        if let Some(path) = decision.path {
            event.insert("path".into(), json!(path.replace('.', "/")));
        }
        if let Some(query) = decision.query {
            event.insert("query".into(), json!(query));
        }
        if let Some(input) = decision.input {
            event.insert("input".into(), input);
        }
        if let Some(result) = decision.result {
            event.insert("result".into(), result);
        }
        event.insert(
            "timestamp".into(),
            json!(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)),
        );
        event.insert(
            "metrics".into(),
            json!({ "timer_rego_query_eval_ns": decision.eval_ns }),
        );
        Json::Object(event)
    }
}

/// The `data` path of a query that is a plain reference such as `data.a.b.c` (`a.b.c`),
/// which decision logs record as `path` instead of `query`.
pub fn document_path(query: &str) -> Option<String> {
    let rest = query.trim().strip_prefix("data")?;
    if rest.is_empty() {
        return Some(String::new());
    }
    let rest = rest.strip_prefix('.')?;
    let plain = rest.split('.').all(|part| {
        let mut chars = part.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    plain.then(|| rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_path(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("rego-decision-log-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn appends_events_without_truncating() {
        let path = temp_path("append.jsonl");
        std::fs::write(&path, "{\"earlier\": true}\n").unwrap();
        let log = DecisionLog::open(&path).unwrap();
        log.record(Decision {
            path: Some("kubernetes.manifests"),
            query: None,
            input: Some(json!({"kind": "Pod"})),
            result: Some(json!({"deny": ["bad"]})),
            eval_ns: 1234,
            labels: vec![("file", "pod.yaml".into())],
        })
        .unwrap();
        drop(log);
        let log = DecisionLog::open(&path).unwrap();
        log.record(Decision {
            path: None,
            query: Some("x := 1"),
            input: None,
            result: None,
            eval_ns: 1,
            labels: Vec::new(),
        })
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], "{\"earlier\": true}");
        let event: Json = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(event["path"], "kubernetes/manifests");
        assert_eq!(event["input"]["kind"], "Pod");
        assert_eq!(event["result"]["deny"][0], "bad");
        assert_eq!(event["labels"]["file"], "pod.yaml");
        assert_eq!(event["metrics"]["timer_rego_query_eval_ns"], 1234);
        assert_eq!(event["decision_id"].as_str().unwrap().len(), 36);
        assert!(chrono::DateTime::parse_from_rfc3339(event["timestamp"].as_str().unwrap()).is_ok());
        let second: Json = serde_json::from_str(lines[2]).unwrap();
        assert_eq!(second["query"], "x := 1");
        assert!(second.get("result").is_none() && second.get("path").is_none());
        assert_ne!(event["decision_id"], second["decision_id"]);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn unwritable_paths_are_errors() {
        let err = DecisionLog::open(Path::new("/nonexistent-dir/x.jsonl"))
            .err()
            .unwrap();
        assert!(
            err.to_string()
                .starts_with("decision log /nonexistent-dir/x.jsonl:")
        );
    }

    #[test]
    fn plain_references_are_paths() {
        assert_eq!(document_path("data.a.b"), Some("a.b".into()));
        assert_eq!(document_path(" data "), Some(String::new()));
        assert_eq!(document_path("data.a[\"b\"]"), None);
        assert_eq!(document_path("x := data.a"), None);
        assert_eq!(document_path("database.x"), None);
    }
}
