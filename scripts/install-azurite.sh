#!/usr/bin/env bash
# Installs Azurite (the Azure Storage emulator) into ./node_modules for the queue tests
# (tests/azurite_queues.rs). The version is pinned in package.json (and the whole tree in
# package-lock.json): 3.35.0 is the last release whose engines field accepts node 20.
# Idempotent: a second run with the tree in place is quick.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
    echo "install-azurite: npm not found; install node 20+ and npm first" >&2
    exit 1
fi

if [ -x node_modules/.bin/azurite-queue ] \
    && grep -q '"version": "3.35.0"' node_modules/azurite/package.json 2>/dev/null; then
    echo "install-azurite: azurite 3.35.0 already installed"
    exit 0
fi

# package-lock.json pins every transitive package; `npm ci` installs exactly that tree.
if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund
else
    npm install --no-audit --no-fund azurite@3.35.0
fi
test -x node_modules/.bin/azurite-queue
echo "install-azurite: installed $(node -p 'require("./node_modules/azurite/package.json").version')"
