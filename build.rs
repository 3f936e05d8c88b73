//! Lists `assets/demo/*.txt` so `newsline demo` can embed them.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=assets/demo");
    let dir = Path::new("assets/demo");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let mut out = String::from("&[\n");
    for f in &files {
        println!("cargo:rerun-if-changed=assets/demo/{f}");
        let full = Path::new(&root).join("assets/demo").join(f);
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            f,
            full.display().to_string()
        ));
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("demo_files.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("writing {}: {e}", dest.display());
    }
}
