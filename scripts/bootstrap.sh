#!/usr/bin/env bash
# Set up everything isms-desktop needs on a fresh Debian/Ubuntu machine, then stay quiet on
# later runs: system libraries Qt needs (and, for tests, the PDF tools), and a virtualenv in
# .venv with the application installed in editable mode. Sourced by ./run and ./run-tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"
MODE="${1:-app}"   # app | test

need_debs=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
# Qt's offscreen and xcb platforms (the GUI, and the GUI tests)
for pair in libEGL.so.1:libegl1 libGL.so.1:libgl1 libxkbcommon.so.0:libxkbcommon0 \
            libfontconfig.so.1:libfontconfig1 libdbus-1.so.3:libdbus-1-3 \
            libglib-2.0.so.0:libglib2.0-0; do
  have_lib "${pair%%:*}" || need_debs+=("${pair##*:}")
done
if [ "$MODE" = app ]; then
  for pair in libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 \
              libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-image.so.0:libxcb-image0 \
              libxcb-render-util.so.0:libxcb-render-util0 libxkbcommon-x11.so.0:libxkbcommon-x11-0 \
              libxcb-shape.so.0:libxcb-shape0 libxcb-randr.so.0:libxcb-randr0 \
              libxcb-xkb.so.1:libxcb-xkb1 libwayland-cursor.so.0:libwayland-cursor0; do
    have_lib "${pair%%:*}" || need_debs+=("${pair##*:}")
  done
fi
if [ "$MODE" = test ]; then
  command -v pdftotext >/dev/null || need_debs+=(poppler-utils)
  command -v qpdf >/dev/null || need_debs+=(qpdf)
  # team mode tests start their own PostgreSQL server (tests/server/conftest.py)
  command -v pg_ctl >/dev/null || compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null \
    || need_debs+=(postgresql)
  # the Linux bundle test: PyInstaller needs objdump; the .desktop file is validated
  command -v objdump >/dev/null || need_debs+=(binutils)
  command -v desktop-file-validate >/dev/null || need_debs+=(desktop-file-utils)
fi
if [ ${#need_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing system packages: ${need_debs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_debs[@]}" >/dev/null
  elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
    echo "installing system packages (sudo): ${need_debs[*]}"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_debs[@]}" >/dev/null
  else
    echo "warning: please install these system packages: ${need_debs[*]}" >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV"
  "$PY" -m venv "$VENV"
fi
# Reinstall only when pyproject.toml changed since the last install.
stamp="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "installing isms-desktop and its dependencies into $VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >/dev/null
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT[test]"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi
