#!/usr/bin/env bash
# Runs the whole test suite with `mvn -B verify` at the repository root: unit tests (surefire) and, as root,
# the network-namespace integration tests (*IT, tag netns, failsafe), the real-VM tests (tag vm) among them. As
# root it first installs what the build and the tests need and builds the VM image. Extra arguments go to Maven,
# e.g. `bash scripts/test.sh -Dit.test=DhcpClientsIT` or `bash scripts/test.sh -DexcludedGroups=vm`.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO
cd "$REPO"

if ((EUID == 0)); then
  bash scripts/install-deps.sh
  # The metadata ITs run the real cloud-init datasources from Debian's package, unpacked, not installed.
  bash scripts/fetch-cloud-init.sh
  # The real-VM tests boot a Debian 12 image with stock cloud-init (built once, then cached).
  bash scripts/vm/build-image.sh
  # The Debian package's test installs it into a Debian 12 root (built once, then cached).
  bash scripts/deb/build-root.sh
  exec mvn -B --no-transfer-progress verify "$@"
fi

# Without root nothing can be installed and no namespace created: run what can run, and say what did not.
for tool in java mvn; do
  if ! command -v "$tool" >/dev/null; then
    echo "test.sh: $tool is not installed; install the dependencies as root: sudo bash scripts/install-deps.sh" >&2
    exit 1
  fi
done
readonly SKIP_NOTE="test.sh: netns integration tests SKIPPED: they need root (running as uid $EUID); run: sudo bash scripts/test.sh"
echo "$SKIP_NOTE"
status=0
mvn -B --no-transfer-progress verify -DexcludedGroups=netns "$@" || status=$?
echo "$SKIP_NOTE"
exit "$status"
