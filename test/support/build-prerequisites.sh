#!/usr/bin/env bash
# What `npm ci` needs before anything of ours can run: the engine's native addon and ssh2's crypto
# binding are compiled at install (node-gyp: python3, make, g++). Installed from Debian's packages
# when running as root on Debian, else named in one line.
set -euo pipefail
needed=(python3 make g++)
missing=()
for tool in "${needed[@]}"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "build: installing ${missing[*]} (the native addons are compiled at install)"
  apt-get -o DPkg::Lock::Timeout=600 -qq update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq install -y "${missing[@]}" >/dev/null
  exit 0
fi
echo "build: missing ${missing[*]}: install them (the native addons are compiled at install)" >&2
exit 1
