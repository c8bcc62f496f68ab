#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry (never a CDN at run time).
# The files are committed; nothing here runs during `make demo` or `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
ECHARTS=${ECHARTS:-5.6.0}
tmp=$(mktemp -d)
(cd "$tmp" && npm pack "echarts@$ECHARTS" >/dev/null && tar xzf echarts-*.tgz)
dest=src/shequ/web/static/vendor/echarts
mkdir -p "$dest"
cp "$tmp/package/dist/echarts.min.js" "$tmp/package/LICENSE" "$tmp/package/NOTICE" "$dest/"
echo "echarts $ECHARTS from the npm registry (npm pack echarts@$ECHARTS), dist/echarts.min.js; Apache-2.0 (LICENSE, NOTICE). Refresh with scripts/vendor.sh." > "$dest/VERSION"
rm -rf "$tmp"
echo "vendored echarts $ECHARTS into $dest"
