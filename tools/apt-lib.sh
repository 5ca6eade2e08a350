# Sourced by the scripts that fetch from Debian. The mirror is the one this
# machine's apt already uses (a host name is never written in the repository),
# and apt runs against a private sources list and state folder under the
# cache, so the system's apt configuration is left untouched and root is not
# needed.

# Prints the first Debian mirror configured on this machine (deb822 or
# one-line sources), or nothing.
debian_mirror() {
    _mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
              awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }')
    if [ -z "$_mirror" ]; then
        _mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
                  awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; exit } }')
    fi
    echo "$_mirror"
}

# private_apt_opts DIR: prints apt-get options that read DIR/sources.list and
# keep package lists and downloads in DIR (created here).
private_apt_opts() {
    mkdir -p "$1/lists/partial" "$1/archives/partial" "$1/parts"
    echo "-o Dir::Etc::SourceList=$1/sources.list -o Dir::Etc::SourceParts=$1/parts" \
         "-o Dir::State::Lists=$1/lists -o Dir::Cache::Archives=$1/archives" \
         "-o Debug::NoLocking=1 -o APT::Sandbox::User=root -qq"
}
