//! Generates the C header for the core's ABI with cbindgen.
//!
//! The header goes to `$PYRTOS_INCLUDE_DIR/pyrtos_core.h` when the firmware build
//! sets that variable (see `micropython.mk`), and to `$OUT_DIR` otherwise, so a
//! plain `cargo build`/`cargo test` still checks that the header can be generated.
use std::{env, path::PathBuf};

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = env::var_os("PYRTOS_INCLUDE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env::var("OUT_DIR").unwrap()));
    let header = out_dir.join("pyrtos_core.h");
    println!("cargo:rerun-if-env-changed=PYRTOS_INCLUDE_DIR");
    println!("cargo:rerun-if-changed=rust/src");
    println!("cargo:rerun-if-changed=rust/cbindgen.toml");
    // Cargo keeps one run of this script per feature set: after a build with
    // other features wrote the header, a build with these must write it again
    // (it is rewritten only when it differs, so a second build is fresh).
    println!("cargo:rerun-if-changed={}", header.display());
    std::fs::create_dir_all(&out_dir).expect("cannot create the header folder");
    let mut config = cbindgen::Config::from_file(crate_dir.join("rust/cbindgen.toml"))
        .expect("rust/cbindgen.toml is invalid");
    // The cargo features this core is built with, as the names the
    // `[defines]` of cbindgen.toml give them: the header's structs then have
    // exactly the core's fields.
    let mut defines: Vec<String> = config
        .defines
        .iter()
        .filter_map(|(cfg, name)| {
            let feature = cfg.strip_prefix("feature = ")?;
            let variable = format!("CARGO_FEATURE_{}", feature.to_uppercase().replace('-', "_"));
            env::var_os(variable).map(|_| format!("#define {name} 1\n"))
        })
        .collect();
    defines.sort();
    config.after_includes = Some(defines.concat());
    let mut text = Vec::new();
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate pyrtos_core.h")
        .write(&mut text);
    // cbindgen ends a field under `#if` after the `#endif`, leaving a stray
    // `;` in the struct when the field is out (a -Wpedantic warning).
    let text = String::from_utf8(text).expect("cbindgen wrote UTF-8").replace("\n#endif\n  ;\n", ";\n#endif\n");
    if std::fs::read_to_string(&header).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&header, text).expect("cannot write pyrtos_core.h");
    }
}
