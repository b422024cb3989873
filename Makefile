# Keywarden — the two commands: `make run` and `make test`.
GO      ?= go
export LANG := en_US.UTF-8

.PHONY: run build test lint vet deps deps-test fuzz bench bench-idle clean

## run: install what Fyne needs (if missing), then start the app
run: deps
	$(GO) run .

## build: the binary, ./keywarden
build: deps
	$(GO) build -o keywarden .

## test: install what the tests need (if missing), then vet and run every test
## with the race detector, inside a private D-Bus, keyring and Xvfb session
test: deps-test
	$(GO) vet ./...
	.ci/session.sh $(GO) test -race -count=1 ./...

## lint: go vet for three OSes, and staticcheck
lint: vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

vet:
	$(GO) vet ./...
	GOOS=darwin $(GO) vet ./kraken/... ./app/vault/... ./app/review/...
	GOOS=windows $(GO) vet ./kraken/... ./app/vault/... ./app/review/...

## screenshots: the README's screenshots (assets/screenshots/), taken of the
## real binary in a private Xvfb session, light and dark, two window sizes
.PHONY: screenshots
screenshots: deps-test
	.ci/screenshots.sh

## bench: the Go benchmarks
bench: deps-test
	.ci/session.sh $(GO) test -run='^$$' -bench=. -benchmem ./...

## bench-idle: idle cost of the tray part, the open window and a bare Fyne
## window under Xvfb, 60 s each (BENCH_SECONDS=300 for longer)
bench-idle: deps-test
	.ci/bench-idle.sh

deps:
	@.ci/packages.sh run
	@$(GO) mod download

deps-test:
	@.ci/packages.sh test
	@$(GO) mod download

clean:
	rm -f keywarden
