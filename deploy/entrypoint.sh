#!/bin/sh
# The image's entrypoint. As any user but root it runs cairn-server as it is. As root, the way NAS
# images work: the writable folders are given to PUID:PGID (default 1000:1000, the image's `node`)
# and cairn-server runs as that user, never as root unless PUID=0 asks for it.
set -eu

if [ "$(id -u)" != 0 ]; then exec cairn-server "$@"; fi

uid=${PUID:-1000}
gid=${PGID:-1000}
case "$uid:$gid" in
  *[!0-9:]* | :* | *:) echo "cairn-entrypoint: PUID and PGID must be numbers (PUID=$uid PGID=$gid)" >&2; exit 2 ;;
esac

# A folder already owned by the user is left alone, so that a start costs nothing; one that is not
# (a new host folder, or PUID changed since the last start) is given to it with everything inside.
for dir in /backups "${CAIRN_RESTORE_ROOT:-/restore}" "${CAIRN_CACHE_DIR:-/cache}"; do
  if [ -d "$dir" ] && [ "$(stat -c %u:%g "$dir")" != "$uid:$gid" ]; then
    echo "cairn-entrypoint: giving $dir to $uid:$gid" >&2
    chown -R "$uid:$gid" "$dir"
  fi
done

exec setpriv --reuid="$uid" --regid="$gid" --clear-groups -- cairn-server "$@"
