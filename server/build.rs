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
    let mut base = String::new();
    if let Some((site_root, from_manifest)) = site_root() {
        // Relative paths: cargo resolves them against this checkout's package, and the table
        // below names files through `CARGO_MANIFEST_DIR`. A target directory shared by two
        // checkouts (a CI cache) then never embeds the other checkout's build.
        println!("cargo:rerun-if-changed={}", from_manifest.display());
        collect(&site_root, &site_root, &mut files);
        base = from_manifest.to_string_lossy().replace('\\', "/");
    }
    files.sort();

    let mut code = String::from("pub static EMBEDDED_FILES: &[(&str, &[u8])] = &[\n");
    for (relative, _) in &files {
        let _ = writeln!(
            code,
            "    ({relative:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/\", {base:?}, \"/\", {relative:?}))),"
        );
    }
    code.push_str("];\n");

    let out_dir = env::var_os("OUT_DIR").map(PathBuf::from).unwrap_or_default();
    if let Err(error) = fs::write(out_dir.join("embedded_site.rs"), code) {
        println!("cargo:warning=could not write the embedded site table: {error}");
        std::process::exit(1);
    }
}

/// The site directory cargo-leptos is building, and the same directory relative to this
/// package (`../target/site`).
fn site_root() -> Option<(PathBuf, PathBuf)> {
    let configured = PathBuf::from(env::var_os("LEPTOS_SITE_ROOT")?);
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR")?);
    let (absolute, from_manifest) = if configured.is_absolute() {
        let from_manifest = pathdiff(&configured, &manifest_dir)?;
        (configured, from_manifest)
    } else {
        (manifest_dir.parent()?.join(&configured), Path::new("..").join(&configured))
    };
    absolute.is_dir().then_some((absolute, from_manifest))
}

/// `path` relative to `base` (both absolute), through `..` where needed.
fn pathdiff(path: &Path, base: &Path) -> Option<PathBuf> {
    let path: Vec<_> = path.components().collect();
    let base: Vec<_> = base.components().collect();
    let shared = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut relative = PathBuf::new();
    for _ in shared..base.len() {
        relative.push("..");
    }
    for component in &path[shared..] {
        relative.push(component);
    }
    Some(relative)
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
