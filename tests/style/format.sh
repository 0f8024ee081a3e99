#!/usr/bin/env bash
# Checks that every C source and header of the tree is formatted by the
# root .clang-format (STYLE.md, "Formatting is automatic"). Prints each
# difference and exits 1 when one file is not; `clang-format -i FILE`
# fixes it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.c' '*.h')
else
    mapfile -t files < <(find common services tests examples -name '*.[ch]' | sort)
fi
clang-format --dry-run --Werror "${files[@]}"
echo "format: ${#files[@]} files as .clang-format says"
