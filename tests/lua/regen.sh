#!/bin/sh
# Regenerate every tests/lua/<area>/<name>.expected from the reference
# interpreter (lua5.4).  Each .expected holds the script's stdout only;
# every script must exit 0 under the reference interpreter.
# Usage: tests/lua/regen.sh [path/to/lua5.4]
LUA=${1:-lua5.4}
ROOT=$(cd "$(dirname "$0")" && pwd)
status=0
for script in $(find "$ROOT" -mindepth 2 -maxdepth 2 -name '*.lua' | sort); do
    dir=$(dirname "$script")
    name=$(basename "$script" .lua)
    if (cd "$dir" && "$LUA" "$name.lua" > "$name.expected"); then
        :
    else
        echo "FAILED (exit $?): $script" >&2
        status=1
    fi
done
exit $status
