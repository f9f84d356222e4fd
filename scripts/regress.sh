#!/usr/bin/env bash
# regress.sh BASE — benchmark regression check of the working tree against BASE.
#
# Builds the test binary of PKG (default: the module root, where bench_test.go
# lives) at git revision BASE (in a temporary worktree, removed afterwards) and at
# the working tree, runs them interleaved A B A B ... COUNT times so that machine
# drift affects both alike, and compares the two outputs with `loadgen compare`.
# Exits with compare's code: 0 no regression, 3 a significant regression, 2 bad
# input (e.g. BASE has no benchmarks).
#
# Environment:
#   COUNT      runs per side (default 6; fewer cannot show significance)
#   BENCH      -test.bench regexp (default .)
#   BENCHTIME  -test.benchtime (default 100ms)
#   PKG        package to benchmark (default .)
#   OUT        results directory (default results/regress): base.txt, head.txt,
#              compare.md
#   THRESHOLD  passed to compare -threshold (default 5%)
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: scripts/regress.sh BASE   (a git revision, e.g. origin/main or HEAD)" >&2
	exit 2
fi
base_rev=$1
count=${COUNT:-6}
bench=${BENCH:-.}
benchtime=${BENCHTIME:-100ms}
pkg=${PKG:-.}
out=${OUT:-results/regress}
threshold=${THRESHOLD:-5%}

case $count in
'' | *[!0-9]* | 0)
	echo "regress.sh: COUNT=$count is not allowed: want a positive integer (6 or more)" >&2
	exit 2
	;;
esac

root=$(git rev-parse --show-toplevel)
cd "$root"
if ! base_sha=$(git rev-parse --verify --quiet "$base_rev^{commit}"); then
	echo "regress.sh: BASE $base_rev is not a git revision here (try origin/main, HEAD~1, a commit hash)" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/regress.XXXXXX")
worktree=$tmp/base
cleanup() {
	git worktree remove --force "$worktree" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "regress: building base ($base_rev = ${base_sha:0:12}) and head test binaries for $pkg" >&2
git worktree add --detach --quiet "$worktree" "$base_sha"
(cd "$worktree" && go test -c -o "$tmp/base.test" "$pkg")
go test -c -o "$tmp/head.test" "$pkg"
go build -o "$tmp/loadgen" ./cmd/loadgen
for side in base head; do
	if [ ! -x "$tmp/$side.test" ]; then
		echo "regress.sh: $side has no tests in $pkg, so nothing to benchmark" >&2
		exit 2
	fi
done

mkdir -p "$out"
: >"$out/base.txt"
: >"$out/head.txt"
# Each binary runs in its own package directory, as go test would run it.
base_dir=$worktree/$pkg
head_dir=$root/$pkg
# A failing benchmark does not stop the check: the others still compare, and the
# failure is reported (its "--- FAIL" lines are in base.txt/head.txt).
failed=""
run_side() { # side dir
	if ! (cd "$2" && "$tmp/$1.test" -test.run '^$' -test.bench "$bench" -test.benchtime "$benchtime" -test.count 1) >>"$out/$1.txt"; then
		case " $failed " in *" $1 "*) ;; *) failed="$failed $1" ;; esac
	fi
}
for i in $(seq 1 "$count"); do
	echo "regress: round $i/$count" >&2
	run_side base "$base_dir"
	run_side head "$head_dir"
done
if [ -n "$failed" ]; then
	echo "regress: warning: some benchmarks failed in:$failed (see the --- FAIL lines in $out); comparing those that ran" >&2
fi

set +e
"$tmp/loadgen" compare "$out/base.txt" "$out/head.txt" -threshold "$threshold" -out "$out/compare.md"
code=$?
set -e
echo "regress: wrote $out/base.txt, $out/head.txt and $out/compare.md (exit $code)" >&2
exit $code
