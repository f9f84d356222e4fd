#!/usr/bin/env bash
# confirm.sh BEFORE AFTER — confirms a change point `loadgen trend` found, by
# the paired rounds of scripts/regress.sh: AFTER (the first commit after the
# change) is checked out in a temporary worktree and measured against BEFORE
# (the last commit before it), rounds interleaved, both built -trimpath.
#
# Prints the confirmed size with its interval and resolution from compare.md,
# e.g. "+10.2% [+5.3, +17.1], detects ≥ 9%", and exits as regress.sh does:
# 0 no regression, 3 a confirmed regression, 2 bad input, 1 could not run.
# Environment: everything regress.sh reads (BENCH, COUNT, BUDGET, TARGET, ...);
# OUT defaults to results/confirm.
set -euo pipefail

if [ $# -ne 2 ] || [ -z "$1" ] || [ -z "$2" ]; then
	echo "usage: scripts/confirm.sh BEFORE AFTER   (the two commits either side of a change point)" >&2
	exit 2
fi
root=$(git rev-parse --show-toplevel)
cd "$root"
for rev in "$1" "$2"; do
	if ! git rev-parse --verify --quiet "$rev^{commit}" >/dev/null; then
		echo "confirm.sh: $rev is not a git revision here" >&2
		exit 2
	fi
done
after=$(git rev-parse "$2^{commit}")
out=${OUT:-$root/results/confirm}
case $out in /*) ;; *) out=$root/$out ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/confirm.XXXXXX")
cleanup() {
	git worktree remove --force "$tmp/after" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
git worktree add --detach --quiet "$tmp/after" "$after"
set +e
(cd "$tmp/after" && OUT="$out" bash "$root/scripts/regress.sh" "$1")
code=$?
set -e
if [ -f "$out/compare.md" ]; then
	echo "confirm: $1 → ${after:0:12} (compare.md in $out):"
	grep -E '^\|' "$out/compare.md" | head -20
fi
exit "$code"
