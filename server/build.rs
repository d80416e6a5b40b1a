//! Embeds the built site (wasm, JS, CSS, public files, and their pre-compressed `.br`/`.gz`
//! twins) into the `herald` binary, so the release binary serves everything by itself.
//!
//! cargo-leptos sets `LEPTOS_SITE_ROOT` while it compiles the server, and with `--release
//! --precompress` it finishes the front end before starting the server build. Plain `cargo
//! build`/`cargo test` do not set it: the binary then embeds nothing and serves the site from
//! disk (see `assets.rs`).

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=LEPTOS_SITE_ROOT");

    let mut files = Vec::new();
    if let Some(site_root) = site_root() {
        println!("cargo:rerun-if-changed={}", site_root.display());
        collect(&site_root, &site_root, &mut files);
    }
    files.sort();

    let mut code = String::from("pub static EMBEDDED_FILES: &[(&str, &[u8])] = &[\n");
    for (relative, absolute) in &files {
        let _ = writeln!(code, "    ({relative:?}, include_bytes!({absolute:?})),");
    }
    code.push_str("];\n");

    let out_dir = env::var_os("OUT_DIR").map(PathBuf::from).unwrap_or_default();
    if let Err(error) = fs::write(out_dir.join("embedded_site.rs"), code) {
        println!("cargo:warning=could not write the embedded site table: {error}");
        std::process::exit(1);
    }
}

/// The site directory cargo-leptos is building, resolved against the workspace root.
fn site_root() -> Option<PathBuf> {
    let configured = PathBuf::from(env::var_os("LEPTOS_SITE_ROOT")?);
    let absolute = if configured.is_absolute() {
        configured
    } else {
        let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR")?);
        manifest_dir.parent()?.join(configured)
    };
    absolute.is_dir().then_some(absolute)
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if let Ok(relative) = path.strip_prefix(root) {
            let relative = relative.to_string_lossy().replace('\\', "/");
            files.push((relative, path.to_string_lossy().into_owned()));
        }
    }
}
