#!/usr/bin/env bash
# regress.sh BASE — benchmark regression check of the working tree against BASE.
#
# Builds the test binary of PKG at git revision BASE (in a temporary worktree,
# removed afterwards) and at the working tree, and measures the benchmarks both
# have in paired rounds: in round r each benchmark runs once on each side, the
# two runs back to back (the order alternating from round to round, A B then
# B A, so neither side always runs second), or, with DUET=1, at the same time on
# two cores. Every run is preceded by a "round: r" line in base.txt and head.txt,
# which is how `loadgen compare` pairs them.
#
# After COUNT rounds it asks compare which benchmarks have not yet reached the
# resolution TARGET (the slowdown they must be able to detect), and keeps adding
# rounds of only those until all do or BUDGET seconds (counted from the start,
# builds included) would be exceeded. Then it writes the comparison.
#
# Exit status, kept apart end to end:
#   0  no regression (compare.md says how small a change each benchmark rules out)
#   3  a significant regression beyond THRESHOLD in the primary family
#   2  bad input: arguments, BASE not a revision, no common benchmarks
#   1  the check could not run: a build failed, or a head benchmark failed
#      (its "--- FAIL" lines are in head.txt)
# Run this script, not `make regress`, where the exit status matters (CI does):
# make reports any failing recipe as its own status 2.
#
# Environment:
#   BENCH      -test.bench regexp (default .)
#   BENCHTIME  length of each run (default 20ms; docs/regression-check.md), turned
#              into a fixed op count per benchmark (-test.benchtime Nx)
#   CPU        -test.cpu, GOMAXPROCS of the runs (default 1; docs/regression-check.md)
#   COUNT      rounds before the first look at the resolution (default 10)
#   BUDGET     seconds for the whole check, builds included (default 600)
#   TARGET     resolution to reach, passed to compare -target (default 10%)
#   THRESHOLD  smallest change that counts, compare -threshold (default 5%)
#   REPEAT     runs of each benchmark per side per round (-test.count); compare
#              pairs the least of each side's runs (default 1; docs/regression-check.md)
#   DUET       1 runs base and head at once, pinned to cores 0 and 1 (taskset),
#              swapping cores every round (default 0)
#   PKG        package to benchmark (default .)
#   LOADGEN    a loadgen binary to compare with, instead of building ./cmd/loadgen
#              (how action.yml checks repositories other than this one)
#   OUT        results directory (default results/regress): base.txt, head.txt,
#              compare.md, exit-code
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: scripts/regress.sh BASE   (a git revision, e.g. origin/main or HEAD)" >&2
	exit 2
fi
base_rev=$1
bench=${BENCH:-.}
benchtime=${BENCHTIME:-20ms}
cpu=${CPU:-1}
count=${COUNT:-10}
budget=${BUDGET:-600}
target=${TARGET:-10%}
threshold=${THRESHOLD:-5%}
duet=${DUET:-0}
repeat=${REPEAT:-1}
pkg=${PKG:-.}
out=${OUT:-results/regress}

# Every exit, early ones included, leaves its status in $out/exit-code, so that
# `make regress` (whose own status is 2 for any failure) can be read exactly.
tmp=""
worktree=""
finish() {
	local code=$?
	if [ -n "$worktree" ]; then
		git worktree remove --force "$worktree" >/dev/null 2>&1 || true
	fi
	[ -n "$tmp" ] && rm -rf "$tmp"
	mkdir -p "$out" 2>/dev/null && echo "$code" >"$out/exit-code" 2>/dev/null
	exit "$code"
}
trap finish EXIT

positive() { # name value
	case $2 in
	'' | *[!0-9]* | 0)
		echo "regress.sh: $1=$2 is not allowed: want a positive integer" >&2
		exit 2
		;;
	esac
}
positive COUNT "$count"
positive BUDGET "$budget"
positive REPEAT "$repeat"
case $duet in 0 | 1) ;; *)
	echo "regress.sh: DUET=$duet is not allowed: want 0 or 1" >&2
	exit 2
	;;
esac
if [ "$duet" = 1 ] && ! command -v taskset >/dev/null 2>&1; then
	echo "regress.sh: DUET=1 needs taskset (util-linux) to pin each side to its core" >&2
	exit 2
fi

start=$SECONDS
root=$(git rev-parse --show-toplevel)
cd "$root"
if ! base_sha=$(git rev-parse --verify --quiet "$base_rev^{commit}"); then
	echo "regress.sh: BASE $base_rev is not a git revision here (try origin/main, HEAD~1, a commit hash)" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/regress.XXXXXX")
worktree=$tmp/base

echo "regress: building base ($base_rev = ${base_sha:0:12}) and head test binaries for $pkg" >&2
git worktree add --detach --quiet "$worktree" "$base_sha"
# -trimpath: without it each binary embeds its checkout's path, so two builds
# of one commit from two directories differ (and so can their code layout).
if ! (cd "$worktree" && go test -trimpath -c -o "$tmp/base.test" "$pkg") ||
	! go test -trimpath -c -o "$tmp/head.test" "$pkg" ||
	! if [ -n "${LOADGEN:-}" ]; then cp "$LOADGEN" "$tmp/loadgen"; else go build -trimpath -o "$tmp/loadgen" ./cmd/loadgen; fi; then
	echo "regress.sh: a build failed (see above)" >&2
	exit 1
fi
for side in base head; do
	if [ ! -x "$tmp/$side.test" ]; then
		echo "regress.sh: $side has no tests in $pkg, so nothing to benchmark" >&2
		exit 2
	fi
done
# Each binary runs in its own package directory, as go test would run it.
dir_base=$worktree/$pkg
dir_head=$root/$pkg

# The benchmarks to pair: those BENCH selects on both sides, their GOMAXPROCS
# suffix removed. Head's listing run doubles as the calibration: every later run
# of a benchmark does a fixed number of ops (-benchtime Nx), the same on both
# sides, enough for BENCHTIME at the per-op cost measured here (CPU time per op
# where the benchmark reports it; the least of 3 runs of 10000 ops, so a run
# the machine slowed does not shrink N). A time-based -benchtime instead grows
# b.N from 1 and stops as soon as a run lasts BENCHTIME, so one early run slowed
# by the machine ends a benchmark at b.N = 100, whose per-op figure is mostly
# start-up: the far outliers (1000× the median) seen at 50ms on this machine.
benchtime_ns=$(printf '%s\n' "$benchtime" | awk '
	/^[0-9.]+ms$/ { sub(/ms$/, ""); print int($0 * 1e6); exit }
	/^[0-9.]+(us|µs)$/ { sub(/(us|µs)$/, ""); print int($0 * 1e3); exit }
	/^[0-9.]+s$/ { sub(/s$/, ""); print int($0 * 1e9); exit }
	{ print "bad"; exit }')
if [ "$benchtime_ns" = bad ] || [ "$benchtime_ns" -le 0 ]; then
	echo "regress.sh: BENCHTIME=$benchtime is not allowed: want a duration like 50ms or 0.1s" >&2
	exit 2
fi
list() { # side benchtime count → lines "name least-ns-per-op"
	(cd "$(eval echo "\$dir_$1")" && "$tmp/$1.test" -test.run '^$' -test.bench "$bench" -test.benchtime "$2" -test.count "$3" -test.cpu "$cpu" 2>/dev/null || true) |
		awk '/^Benchmark[^ \t]*[ \t]/ {
			n = $1; sub(/-[0-9]+$/, "", n); per = $3
			for (i = 3; i < NF; i += 2) if ($(i + 1) == "cpu-ns/op") per = $i
			if (!(n in least) || per + 0 < least[n]) least[n] = per + 0 }
		END { for (n in least) print n, least[n] }' | sort -k1,1
}
list base 1x 1 >"$tmp/base.list"
list head 10000x 3 >"$tmp/head.list"
awk -v t="$benchtime_ns" 'NR == FNR { have[$1] = 1; next }
	($1 in have) { per = $2 > 0 ? $2 : 1; n = int(t / per); if (n < 1000) n = 1000; print $1, n }' \
	"$tmp/base.list" "$tmp/head.list" >"$tmp/iters"
cut -d' ' -f1 "$tmp/iters" >"$tmp/active"
if [ ! -s "$tmp/active" ]; then
	echo "regress.sh: BENCH=$bench selects no benchmark that both base and head have" >&2
	exit 2
fi
if n=$(cut -d' ' -f1 "$tmp/head.list" | comm -13 <(cut -d' ' -f1 "$tmp/base.list") - | wc -l) && [ "$n" -gt 0 ]; then
	echo "regress: $n benchmarks only in head are new and not compared" >&2
fi

# exact turns a benchmark name into a -test.bench pattern that matches it alone:
# each slash-separated level quoted and anchored.
exact() {
	printf '%s\n' "$1" | sed -e 's/[][\.*^$+?(){}|]/\\&/g' -e 's#/#$/^#g' -e 's#^#^#' -e 's#$#$#'
}

mkdir -p "$out"
: >"$out/base.txt"
: >"$out/head.txt"
: >"$out/cores.txt"
rm -f "$out/compare.md"
failed=""
note_failure() { case " $failed " in *" $1 "*) ;; *) failed="$failed $1" ;; esac }

# A run's process CPU time over its wall time is the cores it got; one that got
# less than 0.8 of the CPU it asked for shared its cores with another process,
# and its figure is listed in $out/cores.txt and on stderr (the benchmarks of
# REGRESS_BENCH never block, so a short fall is the machine's, not theirs).
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f '%e %U %S' -o "$tmp/run.time")

run_one() { # side round pattern iterations [core]
	local side=$1 dir
	dir=$(eval echo "\$dir_$side")
	local -a pin=()
	[ $# -ge 5 ] && pin=(taskset -c "$5")
	{
		echo "round: $2"
		(cd "$dir" && "${timer[@]}" "${pin[@]}" "$tmp/$side.test" -test.run '^$' -test.bench "$3" -test.benchtime "$4x" -test.cpu "$cpu" -test.count "$repeat") ||
			echo "regress: FAIL" >&2
	} >>"$tmp/$side.round" 2>>"$tmp/$side.err"
	if [ ${#timer[@]} -gt 0 ] && [ -s "$tmp/run.time" ]; then
		awk -v cpu="$cpu" -v r="$2" -v side="$side" -v b="$3" 'NF == 3 && $1 > 0.05 {
			cores = ($2 + $3) / $1
			if (cores < 0.8 * cpu) printf "round %s %s %s: ran on %.2f of %d cores\n", r, side, b, cores, cpu }' \
			"$tmp/run.time" | tee -a "$out/cores.txt" >&2
	fi
}

run_round() { # round
	local r=$1 b pat iters
	: >"$tmp/base.round"
	: >"$tmp/head.round"
	: >"$tmp/base.err"
	: >"$tmp/head.err"
	while IFS= read -r b; do
		pat=$(exact "$b")
		iters=$(awk -v b="$b" '$1 == b { print $2 }' "$tmp/iters")
		if [ "$duet" = 1 ]; then
			# Both sides at once, one core each; the cores swap every round so
			# a difference between the cores cancels out.
			local cb=$((r % 2)) ch=$(((r + 1) % 2))
			run_one base "$r" "$pat" "$iters" "$cb" &
			run_one head "$r" "$pat" "$iters" "$ch" &
			wait
		elif [ $((r % 2)) = 1 ]; then
			run_one base "$r" "$pat" "$iters"
			run_one head "$r" "$pat" "$iters"
		else
			run_one head "$r" "$pat" "$iters"
			run_one base "$r" "$pat" "$iters"
		fi
	done <"$tmp/active"
	for side in base head; do
		cat "$tmp/$side.round" >>"$out/$side.txt"
		if grep -q 'regress: FAIL' "$tmp/$side.err"; then
			note_failure "$side"
		fi
	done
}

compare() { # extra args...
	"$tmp/loadgen" compare "$out/base.txt" "$out/head.txt" -threshold "$threshold" -target "$target" "$@"
}

round=0
bench_secs=0 # seconds spent in rounds, for the budget's estimate of the next one
bench_runs=0 # benchmark pairs run
echo "regress: $(wc -l <"$tmp/active") benchmarks, $count rounds, then more for those coarser than $target (budget ${budget}s)" >&2
while [ "$round" -lt "$count" ]; do
	round=$((round + 1))
	t0=$SECONDS
	run_round "$round"
	bench_secs=$((bench_secs + SECONDS - t0))
	bench_runs=$((bench_runs + $(wc -l <"$tmp/active")))
	echo "regress: round $round/$count ($((SECONDS - t0))s)" >&2
done

# Adaptive rounds: only the benchmarks still coarser than the target, while the
# next round fits in the budget (estimated from the rounds so far per benchmark).
while :; do
	set +e
	compare -primary-only -unresolved "$tmp/unresolved" >/dev/null 2>"$tmp/compare.err"
	code=$?
	set -e
	if [ "$code" != 0 ] && [ "$code" != 3 ]; then
		cat "$tmp/compare.err" >&2
		break
	fi
	if [ ! -s "$tmp/unresolved" ]; then
		echo "regress: every benchmark resolves $target after $round rounds" >&2
		break
	fi
	# Milliseconds per benchmark pair so far, times the unresolved count, plus
	# the final comparison's few seconds.
	per=$((bench_secs * 1000 / bench_runs))
	next=$((per * $(wc -l <"$tmp/unresolved") / 1000 + 5))
	if [ $((SECONDS - start + next)) -gt "$budget" ]; then
		echo "regress: budget of ${budget}s reached after $round rounds; $(wc -l <"$tmp/unresolved") benchmarks still coarser than $target" >&2
		break
	fi
	round=$((round + 1))
	cp "$tmp/unresolved" "$tmp/active"
	t0=$SECONDS
	run_round "$round"
	bench_secs=$((bench_secs + SECONDS - t0))
	bench_runs=$((bench_runs + $(wc -l <"$tmp/active")))
	echo "regress: round $round for $(wc -l <"$tmp/active") unresolved benchmarks ($((SECONDS - t0))s, $((SECONDS - start))s in all)" >&2
done

set +e
compare -out "$out/compare.md"
code=$?
set -e
if [ "$code" = 0 ] && [ -n "$failed" ]; then
	case " $failed " in *" head "*) code=1 ;; esac
fi
if [ -n "$failed" ]; then
	echo "regress: some benchmarks failed in:$failed (see the --- FAIL lines in $out)" >&2
fi
if [ -s "$out/cores.txt" ] && [ -f "$out/compare.md" ]; then
	{
		echo
		echo "**$(wc -l <"$out/cores.txt") runs got fewer cores than they asked for** (another process held them; their figures are the machine's as much as the code's):"
		echo
		sed 's/^/- /' "$out/cores.txt"
	} >>"$out/compare.md"
fi
echo "regress: wrote $out/base.txt, $out/head.txt and $out/compare.md in $((SECONDS - start))s (exit $code)" >&2
exit "$code"
