//! What the CLI tests share: running the real binary from the repository root, reading its
//! output, temporary folders, and reading XML reports back.
#![allow(dead_code)] // Each test target uses its own part of this.

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `rego ARGS` from the repository root with an empty stdin.
pub fn rego(args: &[&str]) -> Output {
    rego_stdin(args, "")
}

/// Runs `rego ARGS` from the repository root, feeding `stdin`. `NO_COLOR` is removed, so
/// output is plain only because it is not a terminal. Asserts that nothing panicked.
pub fn rego_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rego"))
        .current_dir(repo_root())
        .env_remove("NO_COLOR")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the rego binary runs");
    if let Some(mut pipe) = child.stdin.take() {
        // The command may exit before reading stdin; a broken pipe is fine.
        let _ = pipe.write_all(stdin.as_bytes());
    }
    let out = child.wait_with_output().expect("the rego binary finishes");
    assert!(
        !stderr(&out).contains("panicked"),
        "rego {args:?} panicked:\n{}",
        stderr(&out)
    );
    out
}

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts the exit code, showing both streams when it differs.
pub fn assert_code(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

/// A fresh folder under the system temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new empty folder whose name contains `tag`.
    pub fn new(tag: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "rego-cli-test-{tag}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp folder is creatable");
        TempDir(dir)
    }

    /// The path of `name` inside the folder, as a string for the command line.
    pub fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One element of an XML document: its depth, name and attributes.
pub type Element = (usize, String, Vec<(String, String)>);

/// The start and empty tags of an XML document in document order, parsed back with
/// quick-xml; panics unless the document is well-formed and every element is closed.
pub fn xml_elements(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut depth = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            event @ (Event::Start(_) | Event::Empty(_)) => {
                let (Event::Start(e) | Event::Empty(e)) = &event else {
                    unreachable!()
                };
                let name = e.name().into_inner().to_string();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("a well-formed attribute");
                        let value = a
                            .normalized_value(XmlVersion::Implicit1_0)
                            .expect("an escaped value")
                            .into_owned();
                        (a.key.into_inner().to_string(), value)
                    })
                    .collect();
                out.push((depth, name, attrs));
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::End(_) => depth -= 1,
            Event::Eof => {
                assert_eq!(depth, 0, "every element is closed");
                return out;
            }
            _ => {}
        }
    }
}
