#!/usr/bin/env bash
# Build the Linux release: isms-desktop-VERSION-linux-ARCH.tar.gz, holding the one-folder
# PyInstaller bundle, the menu entry, the icons, the file type and install/uninstall scripts.
#
#     installers/linux/build.sh [--out DIR] [--bundle DIR] [--no-tarball]
#
#   --out DIR      where the release goes (default: dist/ in the repository)
#   --bundle DIR   use this already built bundle instead of running PyInstaller
#   --no-tarball   stop after assembling the release folder (OUT/isms-desktop-VERSION-linux-ARCH)
#
# Needs the development environment (.venv with the test extras: PyInstaller; or set PYTHON)
# and binutils (objdump). Prints the release folder, the archive and their sizes.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
OUT="$ROOT/dist"
BUNDLE=""
TARBALL=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --bundle) BUNDLE="$2"; shift 2 ;;
    --no-tarball) TARBALL=0; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

VERSION="$("$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import isms_desktop; print(isms_desktop.__version__)' "$ROOT")"
ARCH="$(uname -m)"
NAME="isms-desktop-$VERSION-linux-$ARCH"
STAGE="$OUT/$NAME"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/isms-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

start=$(date +%s)
if [ -z "$BUNDLE" ]; then
  echo "== PyInstaller (one-folder bundle)"
  "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$WORK/dist" --workpath "$WORK/build" "$ROOT/installers/isms-desktop.spec"
  BUNDLE="$WORK/dist/isms-desktop"
fi
if [ ! -x "$BUNDLE/isms-desktop" ]; then
  echo "build.sh: no executable $BUNDLE/isms-desktop" >&2
  exit 3
fi

echo "== assembling $STAGE"
rm -rf "$STAGE"
mkdir -p "$STAGE/share/applications" "$STAGE/share/mime/packages" "$STAGE/share/icons/hicolor"
cp -a "$BUNDLE" "$STAGE/isms-desktop"
cp "$HERE/isms-desktop.desktop" "$STAGE/share/applications/isms-desktop.desktop"
cp "$HERE/isms-desktop-mime.xml" "$STAGE/share/mime/packages/isms-desktop.xml"
"$PY" "$ROOT/installers/render_icons.py" --png-dir "$WORK/icons"
for png in "$WORK"/icons/*.png; do
  size="$(basename "$png" .png)"
  mkdir -p "$STAGE/share/icons/hicolor/$size/apps"
  cp "$png" "$STAGE/share/icons/hicolor/$size/apps/isms-desktop.png"
done
mkdir -p "$STAGE/share/icons/hicolor/scalable/apps"
cp "$ROOT/resources/icons/isms-desktop.svg" "$STAGE/share/icons/hicolor/scalable/apps/isms-desktop.svg"
install -m 755 "$HERE/install.sh" "$STAGE/install.sh"
install -m 755 "$HERE/uninstall.sh" "$STAGE/uninstall.sh"
cat > "$STAGE/README.txt" <<EOF
isms-desktop $VERSION for Linux ($ARCH)

Install for yourself (no root needed):   ./install.sh
Then start it from the applications menu; double-clicking a .isms file opens it.
Remove it again:                         ~/.local/lib/isms-desktop/uninstall.sh
Run it without installing:               ./isms-desktop/isms-desktop [PROJECT.isms]
EOF

echo "release folder: $STAGE ($(du -sm "$STAGE" | cut -f1) MB)"
if [ "$TARBALL" = 1 ]; then
  rm -f "$OUT/$NAME.tar.gz"
  tar -C "$OUT" --owner=0 --group=0 --numeric-owner -czf "$OUT/$NAME.tar.gz" "$NAME"
  echo "archive: $OUT/$NAME.tar.gz ($(du -sm "$OUT/$NAME.tar.gz" | cut -f1) MB)"
fi
echo "built in $(( $(date +%s) - start )) s"
