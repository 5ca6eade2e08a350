# Sourced by the scripts that fetch from Debian. The mirror is the one this
# machine's apt already uses (a host name is never written in the repository),
# and apt runs against a private sources list and state folder under the
# cache, so the system's apt configuration is left untouched and root is not
# needed.

# Prints the URI of this machine's Debian mirror: the first enabled `deb`
# source, in deb822 (*.sources) or one-line (*.list) format, that serves the
# release's own suite (VERSION_CODENAME in /etc/os-release, e.g. bookworm), so
# neither a security mirror nor a third-party repository is taken; without a
# codename, the first `deb` source that is not a security one. Or nothing.
debian_mirror() {
    _codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
    for _f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$_f" ] || continue
        # A stanza ends at a blank line; fields are case-insensitive.
        awk -v want="$_codename" '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && enabled != "no" && uri != "" &&
                    ((want != "" && (" " suites " ") ~ (" " want " ")) || (want == "" && uri !~ /security/)))
                    { print uri; found = 1; exit }
                types = suites = uri = enabled = ""
            }
            /^[ \t]*$/ { flush(); next }
            /^#/ { next }
            { key = tolower($1); $1 = ""; sub(/^ +/, "") }
            key == "types:" { types = $0 }
            key == "suites:" { suites = $0 }
            key == "uris:" { uri = $1 }
            key == "enabled:" { enabled = tolower($1) }
            END { if (!found) flush() }' "$_f"
    done | head -n 1 | grep . && return 0
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk -v want="$_codename" '
        $1 == "deb" {
            i = 2
            if ($i ~ /^\[/) while ($i !~ /\]$/) i++
            if ($i ~ /^\[/ || $i ~ /\]$/) i++
            if ((want != "" && $(i + 1) == want) || (want == "" && $i !~ /security/)) { print $i; exit }
        }'
}

# Prints the keyring that Debian's archive is signed with, as installed by
# debian-archive-keyring (.gpg up to bookworm, .pgp from trixie on), or
# nothing (apt then checks against /etc/apt/trusted.gpg.d).
debian_keyring() {
    for _k in /usr/share/keyrings/debian-archive-keyring.gpg /usr/share/keyrings/debian-archive-keyring.pgp; do
        [ -f "$_k" ] && { echo "$_k"; return 0; }
    done
}

# The `[signed-by=...]` option of a one-line source for Debian's archive, or nothing.
debian_signed_by() {
    _k=$(debian_keyring)
    [ -n "$_k" ] && echo "[signed-by=$_k]"
}

# apt options that skip indexes the scripts never use (translations, the
# desktop metadata), which makes `apt-get update` faster.
APT_LEAN_OPTS="-o Acquire::Languages=none
 -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false
 -o Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled=false
 -o Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false
 -o Acquire::IndexTargets::deb::DEP-11-icons-hidpi::DefaultEnabled=false"

# private_apt_opts DIR: prints apt-get options that read DIR/sources.list and
# keep package lists, their binary caches and downloads in DIR (created here).
private_apt_opts() {
    mkdir -p "$1/lists/partial" "$1/archives/partial" "$1/parts"
    echo "-o Dir::Etc::SourceList=$1/sources.list -o Dir::Etc::SourceParts=$1/parts" \
         "-o Dir::State::Lists=$1/lists -o Dir::Cache::Archives=$1/archives" \
         "-o Dir::Cache::pkgcache=$1/pkgcache.bin -o Dir::Cache::srcpkgcache=$1/srcpkgcache.bin" \
         "-o Debug::NoLocking=1 -o APT::Sandbox::User=root -qq $APT_LEAN_OPTS"
}
