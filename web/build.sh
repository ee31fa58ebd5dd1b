#!/usr/bin/env bash
# Copy the graph library's single-file browser build into api/static/vendor/, where the
# explorer loads it from. The copied files are committed, so a clean clone serves the
# explorer without npm; run `make web` (or `npm run build` here) after changing versions.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/cytoscape ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
out=../api/static/vendor
mkdir -p "$out"
cp node_modules/cytoscape/dist/cytoscape.min.js "$out/cytoscape.min.js"
cp node_modules/cytoscape/LICENSE "$out/cytoscape.LICENSE"
version=$(node -p "require('./node_modules/cytoscape/package.json').version")
printf 'cytoscape %s (MIT), from npm; copied by web/build.sh\n' "$version" > "$out/VERSIONS"
echo "vendored cytoscape $version into api/static/vendor/"
