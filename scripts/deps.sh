#!/usr/bin/env bash
# Installs what building and testing the Fyne app needs on Debian/Ubuntu:
# a C compiler and the OpenGL/X11 headers. Elsewhere it prints what to run.
# Usage: scripts/deps.sh [extra Debian packages…]
set -euo pipefail
need=(gcc pkg-config libgl1-mesa-dev xorg-dev "$@")
missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${need[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
else
  echo "This is not a Debian/Ubuntu system. Install a C compiler and the OpenGL and X11"
  echo "development headers yourself, for example:"
  echo "  Fedora:  sudo dnf install gcc libXcursor-devel libXrandr-devel mesa-libGL-devel libXi-devel libXinerama-devel libXxf86vm-devel"
  echo "  Arch:    sudo pacman -S gcc libxcursor libxrandr libxinerama libxi mesa"
  echo "  Windows: install MSYS2 and run: pacman -S mingw-w64-x86_64-gcc"
  exit 0
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
