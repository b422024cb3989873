# Keywarden — the two commands: `make run` and `make test`.
GO      ?= go
export LANG := en_US.UTF-8
# Fyne parses its bundled emoji font (4 MB) again for each text style the
# window draws: about 10 MiB of the window's own memory (issue 20, measured
# with make bench-idle). Without it, an emoji in a name is drawn from the
# system's fonts. Every build and test made through make leaves it out
# (.ci/package.sh hands the tags to fyne package, which sets its own).
export KEYWARDEN_TAGS := no_emoji
export GOFLAGS := $(strip $(GOFLAGS) -tags=$(KEYWARDEN_TAGS))

.PHONY: run build test lint vet deps deps-test deps-windows fuzz bench bench-idle clean

## run: install what Fyne needs (if missing), then start the app (the
## first time, it says first that the build takes a few minutes)
run: deps
	@GO=$(GO) .ci/first-build-note.sh
	$(GO) run .

## build: the binary, ./keywarden
build: deps
	$(GO) build -o keywarden .

## test: install what the tests need (if missing), gofmt, vet (for macOS and
## Windows too), staticcheck, the complexity gate (no function over
## cyclomatic complexity 20), the README check, the session script's own test,
## then every test with the race detector inside a private D-Bus, keyring and
## Xvfb session; a keyring or display that cannot start fails the run
test: deps-test fmt vet staticcheck cyclo readme-check session-test first-build-note-test
	KEYWARDEN_SESSION_STRICT=1 .ci/session.sh $(GO) test -race -count=1 ./...

## fmt: fail if gofmt would change a file
.PHONY: fmt staticcheck cyclo session-test
fmt:
	@out=$$(gofmt -l .); \
	if [ -n "$$out" ]; then echo "keywarden: gofmt would change these files; run gofmt -w on them:" >&2; echo "$$out" >&2; exit 1; fi

staticcheck:
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

## readme-check: the README stays under 250 lines, and every test it cites exists
.PHONY: readme-check
readme-check:
	.ci/readme-check.sh

## cyclo: no function outside the tests over cyclomatic complexity 20
## (gocyclo; .ci/cyclo.sh says why tests are left out)
cyclo:
	GO=$(GO) .ci/cyclo.sh

## session-test: .ci/session.sh fails in CI when it cannot start a display
session-test:
	.ci/session-test.sh

## first-build-note-test: make run says when its first build will be long
.PHONY: first-build-note-test
first-build-note-test:
	GO=$(GO) .ci/first-build-note-test.sh

# The packages without Fyne's GL driver, vetted for macOS and Windows too.
PORTABLE = ./kraken/... ./app/vault/... ./app/review/... ./app/remind/... ./app/check/... \
	./app/cli/... ./app/autostart/... ./app/instance/... ./app/guard/... ./app/keys/... ./app/quietlocale/... \
	./app/internal/atomicfile/... ./app/internal/safetext/...

## lint: gofmt, go vet for three OSes, staticcheck and the complexity gate
lint: fmt vet staticcheck cyclo

vet:
	$(GO) vet ./...
	GOOS=darwin $(GO) vet $(PORTABLE)
	GOOS=windows $(GO) vet $(PORTABLE) ./app/tray/...

## screenshots: the README's screenshots (assets/screenshots/), taken of the
## real binary in a private Xvfb session, light and dark, two window sizes
.PHONY: screenshots
screenshots: deps-test
	.ci/screenshots.sh

## bench: the Go benchmarks
bench: deps-test
	KEYWARDEN_SESSION_STRICT=1 .ci/session.sh $(GO) test -run='^$$' -bench=. -benchmem ./...

## bench-idle: idle cost of the tray part, the open window and a bare Fyne
## window under Xvfb, 60 s each (BENCH_SECONDS=300 for longer)
bench-idle: deps-test
	.ci/bench-idle.sh

## package: dist/Keywarden.tar.xz, the Linux tarball `fyne package` makes:
## the release binary, the .desktop menu entry and the icon (~2 min the
## first time, then ~20 s)
.PHONY: package install uninstall package-check
package: deps
	GO=$(GO) .ci/package.sh package

## install: installs dist/Keywarden.tar.xz for you, without root, in
## ~/.local (made first if it is missing)
install: dist/Keywarden.tar.xz
	.ci/package.sh install

dist/Keywarden.tar.xz:
	$(MAKE) package

## uninstall: removes what make install added (your keys and records stay)
uninstall:
	.ci/package.sh uninstall

## package-check: makes the package, checks the tarball and its menu entry,
## installs and uninstalls it in a temporary home, and starts it the way the
## menu entry does in a private Xvfb session (slow: not part of make test)
package-check: deps-test
	GO=$(GO) .ci/package-check.sh

## windows: dist/keywarden.exe, the Windows program (GUI, with icon and
## version), cross-compiled here with mingw-w64 (installed if missing);
## the first build takes 8 to 20 minutes, later ones seconds
.PHONY: windows test-windows
windows: deps-windows
	GO=$(GO) .ci/windows.sh dist/keywarden.exe

## test-windows: the portable packages' tests and the tray's, run under
## Wine, then a smoke test of dist/keywarden.exe on a private display, then
## the installer's test (.ci/wine/setup-test.sh): a silent install, an
## upgrade over an older version, --version, and uninstalls under Wine
test-windows: windows-setup
	GO=$(GO) .ci/test-windows.sh dist/keywarden.exe $(PORTABLE) ./app/tray/...
	KEYWARDEN_SETUP_VERSION=0.0.0 KEYWARDEN_SETUP_FAST=1 .ci/windows-setup.sh dist/keywarden.exe dist/test/keywarden-setup-older.exe
	.ci/wine/setup-test.sh dist/keywarden-setup-$(VERSION).exe dist/test/keywarden-setup-older.exe

## windows-setup: dist/keywarden-setup-VERSION.exe, the Windows installer
## (NSIS, .ci/nsis/keywarden.nsi): per user, no administrator rights
.PHONY: windows-setup deb deb-check release deps-deb deps-setup
windows-setup: windows deps-setup
	.ci/windows-setup.sh dist/keywarden.exe dist/keywarden-setup-$(VERSION).exe

## deb: dist/keywarden_VERSION_amd64.deb (.ci/deb.sh): the program, menu
## entry, icons, AppStream metainfo, man page and completions
deb: deps-deb
	GO=$(GO) .ci/deb.sh

## deb-check: lintian, appstreamcli and desktop-file-validate on the .deb,
## and an install, --version and purge in a scratch root (.ci/deb-check.sh)
deb-check: deb
	.ci/deb-check.sh

## release: dist/release/ with the Linux tarball, the .deb, the Windows
## installer and the bare exe, all of FyneApp.toml's version, and SHA256SUMS
release: package deb windows-setup
	.ci/release.sh

deps:
	@.ci/packages.sh run
	@$(GO) mod download

deps-test:
	@.ci/packages.sh test
	@$(GO) mod download

deps-windows:
	@.ci/packages.sh windows
	@$(GO) mod download

deps-deb:
	@.ci/packages.sh deb
	@$(GO) mod download

deps-setup:
	@.ci/packages.sh setup
	@$(GO) mod download

# The version of every artifact: FyneApp.toml's.
VERSION := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)

clean:
	rm -f keywarden
	rm -rf dist

## bench-sweep: keywarden sweep over a synthetic home of 20 000 files with
## 20 stored keys, side by side with grep -rF for one string (BENCH_FILES,
## BENCH_KEYS, BENCH_REPS to change)
.PHONY: bench-sweep
bench-sweep: deps-test
	.ci/bench-sweep.sh

## sweep-corpus: found, missed and false figures of keywarden sweep on 21 000
## ordinary files with planted copies and decoys, timed beside grep -rF
## (CORPUS_FILES, CORPUS_BIG_MIB, CORPUS_REPS; CORPUS_OLD=BINARY compares)
.PHONY: sweep-corpus
sweep-corpus: deps-test
	.ci/sweep-corpus.sh
