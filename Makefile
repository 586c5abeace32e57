# f2b — a drop-in reimplementation of fail2ban in Go.
# `make help` lists the targets.

GO       ?= go
PREFIX   ?= /usr/local
DESTDIR  ?=
COMPAT   ?= 0
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X github.com/f2b/f2b/pkg/version.Version=$(VERSION)
FUZZTIME ?= 5s
RUNDIR   ?= $(CURDIR)/run

.PHONY: help build test unit fuzz bench run install lint deps clean

help: ## show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

# The client links no C (it reads the journal directly or through
# journalctl): without cgo it is a static binary, which starts ~1 ms
# sooner, a twentieth of a whole -d run. The server follows the journal
# through libsystemd and needs cgo.
build: ## build bin/f2b-server and bin/f2b-client
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/ ./cmd/f2b-server
	CGO_ENABLED=0 $(GO) build -ldflags '$(LDFLAGS)' -o bin/ ./cmd/f2b-client

test: ## install test packages (apt-get), then vet, unit/integration tests and short fuzzing
	scripts/install-test-deps.sh
	$(GO) mod download
	$(GO) vet ./...
	$(MAKE) unit
	$(MAKE) fuzz

unit: build ## run every Go test (race detector on), and the client's as it ships (no cgo)
	$(GO) test -race -count=1 -timeout 30m ./...
	CGO_ENABLED=0 $(GO) test -count=1 ./cmd/f2b-client ./pkg/backend

fuzz: ## run every go-test fuzz target for FUZZTIME each
	scripts/fuzz.sh $(FUZZTIME)

bench: build ## Go benchmarks plus side-by-side runs against the real fail2ban; writes BENCHMARKS.md
	scripts/bench.sh

run: build ## run f2b on the bundled config/ without root (state in ./run)
	scripts/run.sh $(RUNDIR)

install: build ## install binaries, unit and config under PREFIX (COMPAT=1 adds fail2ban-* links)
	scripts/install.sh "$(DESTDIR)" "$(PREFIX)" "$(COMPAT)"

lint: ## gofmt check and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

deps: ## check that import boundaries hold
	$(GO) test -run TestDeps ./cmd/...

clean: ## remove build output and the local run directory
	rm -rf bin run .bench
