# syncbench: `make run` for the demo, `make lint` and `make test` for the checks CI runs.
GO      ?= go
BIN     := bin/loadgen
RESULTS ?= results
# Benchmarks: override to narrow, e.g. make bench BENCH='impl=mutex'
BENCH     ?= .
BENCHTIME ?= 100ms
BENCHCPU  ?= 1,2

# Regression check (scripts/regress.sh, docs/regression-check.md): BASE is a git
# revision; a focused set of benchmarks, because every extra one weakens the
# multiple-comparison correction; COUNT paired rounds, then more for the
# benchmarks that cannot yet show a TARGET slowdown, within BUDGET seconds.
# Benchtime and GOMAXPROCS were chosen from measured noise (docs/measurements.md).
BASE              ?= HEAD
COUNT             ?= 10
BUDGET            ?= 600
TARGET            ?= 10%
REGRESS_BENCH     ?= Impls/impl=(mutex|rwmutex|atomic|sharded|weighted|fifo|tokenbucket|gcra|xrate)/
REGRESS_BENCHTIME ?= 20ms
REGRESS_CPU       ?= 1

.PHONY: build run lint test bench bench-harness bench-pacer bench-pacer-bin bench-pacer-rate bench-cpu regress clean

build:
	$(GO) build -o $(BIN) ./cmd/loadgen

# The demo on embedded defaults (no server needed): the lock family on a
# read-heavy closed loop, then the limiter family on the canonical open-loop
# load, then one report over both.
run: build
	rm -rf $(RESULTS)
	$(BIN) -impl locks -read-ratio 0.9 -concurrency 8 -duration 2s -warmup 500ms -quiet -out $(RESULTS)
	$(BIN) -impl limiters -rps 5000 -duration 3s -warmup 500ms -quiet -out $(RESULTS)/limiters
	$(BIN) report $(RESULTS) -out $(RESULTS)
	@echo "report: $(RESULTS)/report.md and $(RESULTS)/report.html"

# gofmt, go vet, staticcheck and modernize, each clean. staticcheck and
# modernize (the rewrites to the language and library of go.mod's Go version:
# range over strings.SplitSeq, maps.Copy, slices.Contains, new(expr), ...) run
# at pinned versions through the module proxy, so they need no install and add
# nothing to go.mod; a deliberate staticcheck exception carries a //lint:ignore
# with its reason.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
MODERNIZE ?= golang.org/x/tools/go/analysis/passes/modernize/cmd/modernize@v0.52.0

lint:
	@files=$$(gofmt -l .); if [ -n "$$files" ]; then echo "gofmt -l: not formatted:" >&2; echo "$$files" >&2; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) run $(MODERNIZE) ./...

# The race detector sleeps a second before every process exits, so that a
# report from a goroutine still running is printed; a test binary's races are
# already counted against the test that ran (the testing package checks after
# every test), so the suite's thirty-odd binaries skip that second. The
# Kubernetes base's rendering test is a module of its own (kustomize's Go API
# stays out of go.mod), without -race: it runs nothing concurrent.
test:
	$(GO) vet ./...
	GORACE="$(GORACE) atexit_sleep_ms=0" $(GO) test -race ./...
	cd deploy/kubernetes && $(GO) vet ./... && $(GO) test ./...

bench:
	mkdir -p $(RESULTS)
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchtime $(BENCHTIME) -cpu $(BENCHCPU) . | tee $(RESULTS)/bench.txt

# The closed loop against go test -bench on the same primitive and goroutine
# count, the orderings the two once disagreed on, and the harness floor per
# timing mode, in HARNESS_COUNT interleaved rounds so a shared machine's drift
# hits both sides alike; then benchstat's medians, gobench against loadgen. The
# closed loop's own figure is run-ns/op (1/throughput, as loadgen prints it);
# cpu-ns/op is steadier than ns/op on a shared machine. The benchtime is a
# duration, not a count: with a count, RunParallel sizes its batches from a
# one-op first run, hands out one op per shared atomic add, and measures that
# contention along with the primitive. About 25 s a round.
HARNESS_COUNT ?= 8

bench-harness:
	mkdir -p $(RESULTS)
	$(GO) test -c -o $(RESULTS)/workloads.test ./internal/workloads/
	: > $(RESULTS)/bench-harness.txt
	for i in $$(seq $(HARNESS_COUNT)); do \
		$(RESULTS)/workloads.test -test.run '^$$' -test.bench 'HarnessVsGoBench|HarnessFloor|Orderings' -test.benchtime 500ms | tee -a $(RESULTS)/bench-harness.txt; \
		$(RESULTS)/workloads.test -test.run '^$$' -test.bench 'SampledPercentiles' -test.benchtime 1x | tee -a $(RESULTS)/bench-harness.txt; \
	done
	$(GO) run golang.org/x/perf/cmd/benchstat -col /by -filter '.name:/HarnessVsGoBench|Orderings/' $(RESULTS)/bench-harness.txt
	$(GO) run golang.org/x/perf/cmd/benchstat -filter '.name:/HarnessFloor|SampledPercentiles/' $(RESULTS)/bench-harness.txt

# The open-loop pacer's frontier: PACER_COUNT interleaved rounds; in each, for
# every rate of PACER_RATES, BenchmarkPacer's modes and floors at that rate (one
# whole run of PACER_DURATION per sample) and then the peer's loop at the same
# rate, all under PACER_WRAP (e.g. a lock that keeps other load off the machine,
# taken per rate so no hold lasts long). Then the medians as a markdown table and
# docs/pacer-frontier.png (docs/pacer.md). About 30 s a rate, 2 min a round.
# The binaries are file targets, so on a shared machine build them first:
#   flock -s /tmp/bench.lock make bench-pacer-bin
#   make bench-pacer PACER_WRAP='flock -x /tmp/bench.lock'
# PACER_CONC='(1|4|64)' PACER_RATES='100 1000 5000 20000 200000' adds the
# 64-worker cells.
PACER_COUNT    ?= 5
PACER_DURATION ?= 4s
PACER_RATES    ?= 1000 5000 20000 200000
PACER_CONC     ?= (1|4)
PACER_WRAP     ?=
PACER_NOTE     ?= medians of $(PACER_COUNT) interleaved runs, bars min-max
GO_SOURCES     := $(shell find . -name '*.go' -not -path './results/*') go.mod go.sum

$(RESULTS)/workloads.test: $(GO_SOURCES)
	mkdir -p $(RESULTS)
	$(GO) test -c -o $@ ./internal/workloads/

$(RESULTS)/pacerfrontier: $(GO_SOURCES)
	mkdir -p $(RESULTS)
	$(GO) build -o $@ ./internal/pacerfrontier

# The peer's point: vegeta v12's own pacing loop (4 workers, 4 s runs), built
# from PEER_DIR into results/, never committed, when that directory is there.
# It is built from a copy whose CPU figure (its getrusage over its pacing) is
# printed to four decimals instead of two: at 0.03-0.04 cores, two decimals are
# steps of a quarter of the figure. Nothing else of it is changed.
PEER_DIR ?= ../shared/research/vegeta-pacer

$(RESULTS)/vegeta-pacer:
	mkdir -p $(RESULTS)
	if [ -d $(PEER_DIR) ]; then \
		src=$$(mktemp -d) && cp -r $(PEER_DIR)/. $$src && \
		sed -i 's/cores %\.2f/cores %.4f/' $$src/main.go && grep -q 'cores %\.4f' $$src/main.go && \
		(cd $$src && $(GO) build -o $(abspath $(RESULTS))/vegeta-pacer .); rc=$$?; rm -rf $$src; exit $$rc; \
	fi

bench-pacer-bin: $(RESULTS)/workloads.test $(RESULTS)/pacerfrontier $(RESULTS)/vegeta-pacer

# One rate of one round: loadgen's modes and floors, then the peer.
bench-pacer-rate:
	$(RESULTS)/workloads.test -test.run '^$$' -test.bench '^BenchmarkPacer$$/./^rps=$(RATE)$$/^conc=$(PACER_CONC)$$' \
		-test.benchtime 1x -pacer.duration $(PACER_DURATION)
	if [ -x $(RESULTS)/vegeta-pacer ]; then $(RESULTS)/vegeta-pacer $(RATE); fi

bench-pacer: bench-pacer-bin
	mkdir -p docs
	: > $(RESULTS)/bench-pacer.txt
	uptime | tee -a $(RESULTS)/bench-pacer.log
	for i in $$(seq $(PACER_COUNT)); do for r in $(PACER_RATES); do \
		$(PACER_WRAP) $(MAKE) -s --no-print-directory bench-pacer-rate RATE=$$r > $(RESULTS)/bench-pacer.round || exit 1; \
		cat $(RESULTS)/bench-pacer.round; cat $(RESULTS)/bench-pacer.round >> $(RESULTS)/bench-pacer.txt; \
		uptime >> $(RESULTS)/bench-pacer.log; \
	done; done
	uptime | tee -a $(RESULTS)/bench-pacer.log
	$(RESULTS)/pacerfrontier -in $(RESULTS)/bench-pacer.txt -out docs/pacer-frontier.png -note '$(PACER_NOTE)'

# The target's own CPU/op in the open loop against the closed loop's (gcra at
# -rps 5000 in each pacer mode, noop as the ~0 check), and what a wait before an
# op costs it (BenchmarkCPUAfterWait), in CPU_COUNT interleaved rounds; then
# benchstat's medians. About 15 s a round.
CPU_COUNT ?= 5
bench-cpu:
	mkdir -p $(RESULTS)
	$(GO) test -c -o $(RESULTS)/workloads.test ./internal/workloads/
	: > $(RESULTS)/bench-cpu.txt
	for i in $$(seq $(CPU_COUNT)); do \
		$(RESULTS)/workloads.test -test.run '^$$' -test.bench 'OpenVsClosedCPU' -test.benchtime 1x | tee -a $(RESULTS)/bench-cpu.txt; \
		$(RESULTS)/workloads.test -test.run '^$$' -test.bench 'CPUAfterWait' -test.benchtime 8000x | tee -a $(RESULTS)/bench-cpu.txt; \
	done
	$(GO) run golang.org/x/perf/cmd/benchstat $(RESULTS)/bench-cpu.txt

# scripts/regress.sh exits 3 on a regression, 2 on bad input, 1 when it could not
# run; make turns any failing recipe into its own exit 2, so the recipe says
# which it was, and the script leaves it in results/regress/exit-code. Where the
# status matters (CI), run scripts/regress.sh itself.
regress:
	@BENCH='$(REGRESS_BENCH)' COUNT=$(COUNT) BUDGET=$(BUDGET) TARGET=$(TARGET) BENCHTIME=$(REGRESS_BENCHTIME) CPU=$(REGRESS_CPU) \
		scripts/regress.sh $(BASE) || { code=$$?; \
		echo "make regress: scripts/regress.sh exited $$code (3 regression, 2 bad input, 1 could not run); make itself exits 2" >&2; exit $$code; }

clean:
	rm -rf bin $(RESULTS)
