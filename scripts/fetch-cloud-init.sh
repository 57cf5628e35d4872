#!/usr/bin/env bash
# Fetches Debian 12's cloud-init 22.4 package and unpacks it (dpkg -x, never installed: installing it would enable
# cloud-init's services on this machine), and installs the Debian packages its datasource code imports, so the
# namespace tests can run the unmodified datasources against the appliance. Idempotent; needs root only to
# install packages. The tree goes to $CLOUD_INIT_ROOT, default /var/cache/appliance-tests/cloud-init-22.4, which
# survives `mvn clean`; the tests look there too (system property cloudinit.root or the same variable).
set -euo pipefail

readonly ROOT="${CLOUD_INIT_ROOT:-/var/cache/appliance-tests/cloud-init-22.4}"
# The datasources' imports (python3-serial is only for SmartOS) and wget, which the CloudStack password step runs.
readonly PYTHON_DEPS=(
  python3-yaml
  python3-jinja2
  python3-requests
  python3-jsonpatch
  python3-jsonschema
  python3-configobj
  python3-oauthlib
  python3-netifaces
  wget
)
readonly WANTED_VERSION_PREFIX="22.4.2-1+deb12u"

is_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

candidate_of() {
  apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }'
}

missing=()
for package in "${PYTHON_DEPS[@]}"; do
  is_installed "$package" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  if ((EUID != 0)); then
    echo "fetch-cloud-init: missing packages ${missing[*]}; installing them needs root: sudo bash $0" >&2
    exit 1
  fi
  echo "fetch-cloud-init: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

version="$(candidate_of cloud-init)"
if [[ -z "$version" || "$version" == "(none)" ]]; then
  echo "fetch-cloud-init: apt knows no cloud-init package; run apt-get update first" >&2
  exit 1
fi
if [[ "$version" != "$WANTED_VERSION_PREFIX"* ]]; then
  echo "fetch-cloud-init: apt offers cloud-init $version, the tests are written for ${WANTED_VERSION_PREFIX}*" >&2
  exit 1
fi

if [[ -f "$ROOT/VERSION" && "$(cat "$ROOT/VERSION")" == "$version" ]]; then
  echo "fetch-cloud-init: cloud-init $version already unpacked in $ROOT"
  exit 0
fi

download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
# apt drops privileges to _apt for downloads; a directory it can write avoids its "unsandboxed" warning.
chmod 0777 "$download"
(cd "$download" && apt-get download "cloud-init=$version")
deb="$(find "$download" -maxdepth 1 -name 'cloud-init_*.deb' -print -quit)"
[[ -n "$deb" ]] || { echo "fetch-cloud-init: apt-get download left no .deb in $download" >&2; exit 1; }

# Unpack beside the target and rename, so a half-unpacked tree never carries a VERSION file.
mkdir -p "$(dirname "$ROOT")"
staging="$(mktemp -d "$(dirname "$ROOT")/.cloud-init-unpack.XXXXXX")"
dpkg -x "$deb" "$staging"
echo "$version" > "$staging/VERSION"
rm -rf "$ROOT"
mv "$staging" "$ROOT"
chmod 0755 "$ROOT"
echo "fetch-cloud-init: cloud-init $version unpacked in $ROOT"
