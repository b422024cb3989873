# Keywarden — the two commands: `make run` and `make test`.
GO      ?= go
export LANG := en_US.UTF-8

.PHONY: run build test vet deps deps-test fuzz bench clean

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

vet:
	$(GO) vet ./...
	GOOS=darwin $(GO) vet ./kraken/... ./app/vault/... ./app/review/...
	GOOS=windows $(GO) vet ./kraken/... ./app/vault/... ./app/review/...

## bench: the Go benchmarks
bench: deps-test
	.ci/session.sh $(GO) test -run='^$$' -bench=. -benchmem ./...

deps:
	@.ci/packages.sh run
	@$(GO) mod download

deps-test:
	@.ci/packages.sh test
	@$(GO) mod download

clean:
	rm -f keywarden
