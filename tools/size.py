#!/usr/bin/env python3
"""Flash and static RAM of the pyRTOS module on Cortex-M (`make size`).

For thumbv7m (Cortex-M3) and thumbv6m (Cortex-M0+): builds the Rust core with
the `mcu` profile (as micropython.mk does), compiles the C shim (c_glue/*.c)
with the exact flags of the qemu firmware build (read from `make -n`) for that
CPU, and links the two with --gc-sections from the module object
(`pyrtos_module`, what the firmware's module table references), leaving
MicroPython's own symbols unresolved. The link map then gives, per part:

  flash = .text + .rodata (+ .data's initial values),  RAM = .data + .bss

`compiler_builtins` (Rust's copy of libgcc-style helpers such as 64-bit
division) is listed on its own: in a firmware, libgcc may provide them instead.
`.ARM.exidx` (unwind index entries, all "cannot unwind" under panic=abort) is
listed too; the qemu build discards it (qemu/discard-exidx.ld) as cortex-m-rt
does, other ports' linker scripts keep it.

For thumbv7m the same parts are also read from the qemu firmware's own link map.
Finally the linked core is checked for formatting code (core::fmt) that a panic
path could pull in. For thumbv6m, each build option is priced, and the build
with every option off (what a BASIC_FEATURES Cortex-M0+ board gets) is checked
against the budget: exit status 1 when it is over.

    tools/size.py --micropy-dir DIR --qemu-build build/qemu [--toolchain +nightly]
"""
import argparse
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = [("thumbv7m-none-eabi", "cortex-m3"), ("thumbv6m-none-eabi", "cortex-m0plus")]
# Flash and static RAM for the build a Cortex-M0+ board of MicroPython's
# BASIC_FEATURES ROM level gets (every option off: their default there).
BUDGET = {"thumbv6m-none-eabi": (12 * 1024, 256)}
QEMU_MAKE = ["BOARD=MPS2_AN385", "FROZEN_MANIFEST="]


def run(cmd, **kw):
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("size: command failed: %s" % " ".join(cmd))
    return done.stdout


def build_core(target, cpu, out_dir, args, defines=()):
    """The Rust staticlib for `target`, built as micropython.mk builds it: with
    the cargo features the build options (plus `defines`) ask for. A copy in
    `out_dir`, so that builds for other options do not replace it."""
    features = core_features(cpu, args, defines)
    pyrtos_build = os.path.join(args.qemu_build, "pyrtos")
    env = dict(os.environ, PYRTOS_INCLUDE_DIR=os.path.join(out_dir, "include"))
    run(["cargo", args.toolchain, "rustc", "--lib", "--crate-type", "staticlib", "--quiet",
         "--profile", "mcu", "--target", target, "--manifest-path", os.path.join(ROOT, "Cargo.toml"),
         "--target-dir", os.path.join(pyrtos_build, "cargo"), "-Zbuild-std=core",
         "--no-default-features", "--features", " ".join(features),
         "--config", "profile.mcu.package.compiler_builtins.codegen-units=10000"], env=env)
    lib = os.path.join(out_dir, "libpyrtos_core-%s.a" % ("-".join(features) or "none"))
    shutil.copyfile(os.path.join(pyrtos_build, "cargo", target, "mcu", "libpyrtos_core.a"), lib)
    return lib


def build_options():
    """The module's 0/1 build options (`#ifndef MICROPY_PY_PYRTOS_...` in c_glue/pyrtos_options.h)."""
    with open(os.path.join(ROOT, "c_glue", "pyrtos_options.h")) as f:
        return re.findall(r"^#ifndef (MICROPY_PY_PYRTOS_\w+)", f.read(), re.M)


def core_features(cpu, args, defines):
    """The core's cargo features for the options, as micropython.mk asks the preprocessor."""
    cmd, port = shim_command(os.path.join(ROOT, "c_glue", "modpyRTOS.c"), cpu, args)
    text = run(cmd[:-1] + ["-D" + d for d in defines] +
               ["-E", "-P", "-DNO_QSTR", "-DPYRTOS_LIST_FEATURES", os.path.join(ROOT, "c_glue", "pyrtos_options.h")],
               cwd=port)
    return re.findall(r"^pyrtos-core-feature (\S+)", text, re.M)


def compile_shim(cpu, out_dir, args, defines=()):
    """c_glue/*.c compiled with the qemu build's command line, for `cpu`, plus `defines`."""
    objs = []
    for src in sorted(glob.glob(os.path.join(ROOT, "c_glue", "*.c"))):
        cmd, port = shim_command(src, cpu, args)
        out = os.path.join(out_dir, os.path.basename(src)[:-2] + ".o")
        run(cmd[:-1] + ["-D" + d for d in defines] + ["-o", out, cmd[-1]], cwd=port)
        objs.append(out)
    return objs


# The qemu build's command line for each source, as `make -n` gives it (asked
# once: every CPU and option set compiles with the same one).
_make_commands = {}


def shim_command(src, cpu, args):
    """The qemu build's compile command for `src` (without -o and dependency
    output, the source last), for `cpu`, and the folder it runs in."""
    port = os.path.join(args.micropy_dir, "ports", "qemu")
    if src not in _make_commands:
        obj = os.path.join(args.qemu_build, "c_glue", os.path.basename(src)[:-2] + ".o")
        text = run(["make", "-n", "V=1", "-C", port] + QEMU_MAKE + args.make_flags +
                   ["USER_C_MODULES=" + ROOT, "BUILD=" + args.qemu_build, "-W", src, obj])
        line = next((l for l in text.splitlines()
                     if "gcc" in l and " -c " in l and l.rstrip().split(" || ")[0].endswith(src)), None)
        if line is None:
            raise SystemExit("size: no compile command for %s in make -n output" % src)
        _make_commands[src] = shlex.split(line.split(" || ")[0])
    cmd, skip = [], False
    for w in _make_commands[src]:
        if skip:
            skip = False
            continue
        if w in ("-o", "-MF"):
            skip = True
            continue
        if w == "-MD":
            continue
        cmd.append("-mcpu=" + cpu if w.startswith("-mcpu=") else w)
    return cmd, port


def part_of(path):
    name = os.path.basename(path)
    if "compiler_builtins" in name:
        return "compiler_builtins"
    if "libpyrtos_core" in path or name.startswith(("pyrtos_core-", "core-")):
        return "Rust core"
    if "/c_glue/" in path or path.endswith(("modpyRTOS.o", "task.o", "sync.o")) or "/size-" in path:
        return "C shim"
    return None


KINDS = (("text", (".text",)), ("rodata", (".rodata",)), ("data", (".data",)),
         ("bss", (".bss", "COMMON")), ("exidx", (".ARM.exidx", ".ARM.extab")))


def kind_of(section):
    for kind, prefixes in KINDS:
        if any(section == p or section.startswith(p + ".") or section.startswith(p + "$") for p in prefixes):
            return kind
    return None


def parse_map(path):
    """{part: {kind: bytes}} from a GNU ld map (input sections with their files)."""
    sizes = {}
    with open(path, errors="replace") as f:
        lines = f.read().split("Linker script and memory map", 1)[-1].splitlines()
    pending = None
    for line in lines:
        m = re.match(r"^ (\S+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$", line)
        if m:
            section, size, src = m.group(1), int(m.group(2), 16), m.group(3)
        elif pending and re.match(r"^\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+\S", line):
            parts = line.split()
            section, size, src = pending, int(parts[1], 16), " ".join(parts[2:])
        else:
            m = re.match(r"^ (\.\S+|COMMON)$", line)
            pending = m.group(1) if m else None
            continue
        pending = None
        kind, part = kind_of(section), part_of(src)
        if kind and part and size:
            sizes.setdefault(part, {}).setdefault(kind, 0)
            sizes[part][kind] += size
    return sizes


def link_closure(lib, objs, cpu, out_dir):
    elf = os.path.join(out_dir, "module.elf")
    mapfile = os.path.join(out_dir, "module.map")
    run(["arm-none-eabi-gcc", "-mthumb", "-mcpu=" + cpu, "-nostdlib", "-Wl,--gc-sections",
         "-Wl,--unresolved-symbols=ignore-all", "-Wl,-e,pyrtos_module", "-Wl,--undefined=pyrtos_module",
         "-Wl,-Map=" + mapfile, "-o", elf] + objs + [lib])
    return elf, mapfile


def fmt_symbols(elf):
    syms = run(["arm-none-eabi-nm", "-C", elf])
    return sorted({l.split(" ", 2)[-1] for l in syms.splitlines()
                   if re.search(r"core::fmt|fmt::Formatter|panic_fmt|Display|Debug", l)})


def table(title, sizes):
    print(title)
    print("  %-18s %7s %7s %7s %7s %7s   %7s %6s" % ("part", "text", "rodata", "data", "bss", "exidx", "flash", "RAM"))
    total_flash = total_ram = 0
    for part in ("Rust core", "C shim", "compiler_builtins"):
        s = sizes.get(part, {})
        flash = s.get("text", 0) + s.get("rodata", 0) + s.get("data", 0)
        ram = s.get("data", 0) + s.get("bss", 0)
        print("  %-18s %7d %7d %7d %7d %7d   %7d %6d" % (part, s.get("text", 0), s.get("rodata", 0),
              s.get("data", 0), s.get("bss", 0), s.get("exidx", 0), flash, ram))
        if part != "compiler_builtins":
            total_flash += flash
            total_ram += ram
    print("  %-18s %47s   %7d %6d" % ("module (core+shim)", "", total_flash, total_ram))
    return total_flash, total_ram


def budget(target, flash, ram):
    """Prints the verdict; False when over."""
    bf, br = BUDGET[target]
    within = flash <= bf and ram <= br
    print("  budget %d B flash, %d B RAM: %s" % (bf, br, "within" if within else "OVER"))
    return within


def build_module(target, cpu, out_dir, args, defines=()):
    """The core (with the features the options ask for) and the shim objects,
    built for the options as the qemu port sets them, changed by `defines`."""
    os.makedirs(out_dir, exist_ok=True)
    return build_core(target, cpu, out_dir, args, defines), compile_shim(cpu, out_dir, args, defines)


def module_flash(target, cpu, out_dir, args, defines):
    lib, objs = build_module(target, cpu, out_dir, args, defines)
    _, mapfile = link_closure(lib, objs, cpu, out_dir)
    sizes = parse_map(mapfile)
    return sum(sizes.get(part, {}).get(kind, 0) for part in ("Rust core", "C shim")
               for kind in ("text", "rodata", "data"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--micropy-dir", required=True)
    ap.add_argument("--qemu-build", required=True)
    ap.add_argument("--toolchain", default="+nightly")
    ap.add_argument("--make-flags", default="", help="extra make variables of the qemu build")
    args = ap.parse_args()
    args.qemu_build = os.path.abspath(args.qemu_build)
    args.micropy_dir = os.path.abspath(args.micropy_dir)
    args.make_flags = shlex.split(args.make_flags)
    options = build_options()
    over = False
    for target, cpu in TARGETS:
        out_dir = os.path.join(args.qemu_build, "size-" + target)
        lib, objs = build_module(target, cpu, out_dir, args)
        elf, mapfile = link_closure(lib, objs, cpu, out_dir)
        flash, ram = table("%s (%s), module linked on its own, every option on (the qemu port's defaults):"
                           % (target, cpu), parse_map(mapfile))
        fmt = fmt_symbols(elf)
        print("  formatting code in the link: %s" % (", ".join(fmt[:8]) if fmt else "none (no core::fmt symbols)"))
        firmware_map = os.path.join(args.qemu_build, "firmware.map")
        if target == "thumbv7m-none-eabi" and os.path.exists(firmware_map):
            table("%s, as linked into the qemu firmware (%s):" % (target, os.path.relpath(firmware_map, ROOT)),
                  parse_map(firmware_map))
        if target in BUDGET and options:
            # What each option costs (C shim and core together), and the module
            # with all of them off (their default below MicroPython's
            # EXTRA_FEATURES ROM level).
            off = [o + "=0" for o in options]
            option_dir = os.path.join(out_dir, "option")
            lean = module_flash(target, cpu, option_dir, args, off)
            for option in options:
                alone = module_flash(target, cpu, option_dir, args, [d for d in off if not d.startswith(option + "=")])
                print("  option %-32s %6d B flash" % (option, alone - lean))
            lean_dir = os.path.join(out_dir, "lean")
            lib, objs = build_module(target, cpu, lean_dir, args, off)
            _, mapfile = link_closure(lib, objs, cpu, lean_dir)
            flash, ram = table("%s, every option off (BASIC_FEATURES boards and below, e.g. SAMD21):" % target,
                               parse_map(mapfile))
            over = over or not budget(target, flash, ram)
        print()
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
