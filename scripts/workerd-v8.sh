#!/bin/sh
# workerd with V8 flags: named by MINIFLARE_WORKERD_PATH (scripts/test-worker.mjs sets it for the
# Workers-runtime tests only). miniflare runs `workerd serve --binary … -` and writes the config to
# stdin; this adds the flags in SIDECART_WORKERD_V8_FLAGS (space-separated) to the config and then
# becomes the real workerd (SIDECART_WORKERD_BIN) with the same arguments, stdout, stderr and control
# fd 3. exec, not a child: miniflare stops workerd with SIGKILL, which a parent could not pass on.
set -eu
config=$(mktemp)
# shellcheck disable=SC2086 # the flags are words on purpose
node "$(dirname "$0")/workerdV8Flags.mjs" ${SIDECART_WORKERD_V8_FLAGS:-} >"$config" || {
  rm -f "$config"
  exit 1
}
exec <"$config"
rm -f "$config"
exec "$SIDECART_WORKERD_BIN" "$@"
