#!/usr/bin/env bash
# Checks that dependencies among the C files of common/ and services/ flow
# one way (STYLE.md, "Dependencies in one direction"): no two source files
# use each other, directly or through other files. Exits 1 naming every
# cycle, 0 with a count otherwise.
#
#   tests/style/includes.sh          the check
#   tests/style/includes.sh --list   also prints every dependency edge
#
# What counts as "uses": a .c file depends on another when it calls (or
# takes the address of) a function the other defines, declared in a header
# it includes (itself, or through the headers that header includes). So a
# private header shared by two source files that call each other (each
# defines some of its functions and includes it) is a cycle however the
# header is named, while a header that only lends a type costs nothing.
# A header declares a function at the start of a line, as the root
# .clang-format puts every top-level name (`grep "^name "` finds
# declarations and definitions); comments and strings are not calls.
# Cycles among headers themselves (a.h includes b.h includes a.h) count too.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 - "$root" "$@" <<'PY'
import os, re, sys

root = sys.argv[1]
listing = "--list" in sys.argv[2:]
folders = ["common", "services"]

files = []
for folder in folders:
    for dirpath, _, names in os.walk(os.path.join(root, folder)):
        for name in sorted(names):
            if name.endswith((".c", ".h")):
                files.append(os.path.relpath(os.path.join(dirpath, name), root))
files.sort()
by_base = {}
for f in files:
    by_base.setdefault(os.path.basename(f), []).append(f)

include_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
name_re = re.compile(r"^([A-Za-z_]\w*) ?\(", re.M)

def read(path):
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as fh:
        return fh.read()

def resolve(includer, target):
    """The file an #include "target" of `includer` names, or None (outside
    common/ and services/, e.g. generated protobuf headers)."""
    local = os.path.normpath(os.path.join(os.path.dirname(includer), target))
    if local in by_base.get(os.path.basename(target), []):
        return local
    common = os.path.normpath(os.path.join("common", target))
    if common in by_base.get(os.path.basename(target), []):
        return common
    found = by_base.get(os.path.basename(target), [])
    return found[0] if len(found) == 1 else None

comment_re = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
word_re = re.compile(r"[A-Za-z_]\w*")

includes = {}
declared = {}  # header -> names it declares
defined = {}   # name -> .c files defining it
used = {}      # .c -> identifiers in its code
for f in files:
    text = read(f)
    if f.endswith(".c"):
        code = comment_re.sub(" ", include_re.sub(" ", text))
        used[f] = set(word_re.findall(code))
    includes[f] = [r for r in (resolve(f, t) for t in include_re.findall(text)) if r]
    if f.endswith(".h"):
        declared[f] = set(name_re.findall(text))
    else:
        for m in name_re.finditer(text):
            # A definition continues to a body; a prototype ends in ';'.
            rest = text[m.end():]
            depth, end = 1, None
            for i, ch in enumerate(rest):
                if ch == "(":
                    depth += 1
                elif ch == ")":
                    depth -= 1
                elif depth == 0 and ch in ";{":
                    end = ch
                    break
            if end == "{":
                defined.setdefault(m.group(1), set()).add(f)

def callees(source, header):
    """(name, .c defining it) for each function of `header` that `source` uses."""
    for name in sorted(declared.get(header, ()) & used[source]):
        for owner in sorted(defined.get(name, ())):
            if owner != source:
                yield name, owner

def closure(f):
    """Every header `f` includes, directly or through other headers."""
    seen, stack = set(), list(includes[f])
    while stack:
        h = stack.pop()
        if h in seen:
            continue
        seen.add(h)
        stack.extend(includes.get(h, []))
    return seen

def cycles(nodes, edges):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    sys.setrecursionlimit(10000)
    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    for v in nodes:
        if v not in index:
            visit(v)
    return out

# Headers among themselves.
header_edges = {h: [i for i in includes[h] if i.endswith(".h")] for h in files if h.endswith(".h")}
# Source files through the headers they include.
source_edges, why = {}, {}
for f in files:
    if not f.endswith(".c"):
        continue
    targets = set()
    for h in sorted(closure(f)):
        for name, o in callees(f, h):
            targets.add(o)
            why.setdefault((f, o), f"{name} of {h}")
    source_edges[f] = sorted(targets)

if listing:
    for f in sorted(source_edges):
        for o in source_edges[f]:
            print(f"{f} -> {o}  (calls {why[(f, o)]})")

failed = False
for comp in cycles(sorted(header_edges), header_edges):
    failed = True
    print("include cycle among headers: " + ", ".join(comp))
for comp in cycles(sorted(source_edges), source_edges):
    failed = True
    members = set(comp)
    print("dependency cycle: " + ", ".join(comp))
    for f in comp:
        for o in source_edges[f]:
            if o in members:
                print(f"    {f} -> {o}  (calls {why[(f, o)]})")
sources = len(source_edges)
edges = sum(len(v) for v in source_edges.values())
if failed:
    print(f"includes: cycles found among {sources} source files of {', '.join(folders)}")
    sys.exit(1)
print(f"includes: {sources} source files of {', '.join(folders)}, {edges} dependencies, no cycles")
PY
