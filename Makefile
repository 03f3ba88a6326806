# BLK Komunitas. `make run` opens the app, `make test` runs every check.
# Both install the system packages Fyne needs (scripts/deps.sh).

GO      ?= go
# Go 1.26.8 has vulnerabilities that govulncheck finds reachable from both
# binaries (net/http HTTP/2 and CONNECT handling, crypto/tls, crypto/x509,
# html/template; fixed in 1.26.9/1.26.10 and 1.27.3), so every target builds,
# tests and ships with go1.27.3, which the go command fetches from the module
# proxy. GOTOOLCHAIN=local in the environment keeps the machine's own Go.
GOTOOLCHAIN ?= go1.27.3
export GOTOOLCHAIN
# no_emoji leaves out Fyne's 4 MB colour emoji font (about 20 MB of the
# app's memory once parsed per text style); the few symbols the screens use
# (⚠ ✓ ✗ ▲ ▼) come from the system's fonts through Fyne's fallback.
TAGS    := migrated_fynedo,no_emoji
# Not GOFLAGS: that is Go's own environment variable, and when it is set in
# the environment make would export this value over it and go refuses it.
BUILDFLAGS := -tags $(TAGS) -trimpath
LDFLAGS := -s -w
# FyneApp.toml is the single source of the version (and the build number).
VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
BUILD   := $(shell sed -n 's/^Build *= *\([0-9]*\)/\1/p' FyneApp.toml)
SETUP   := dist/blk-$(VERSION)-setup.exe
# The Linux desktop release the updater installs: blk alone in a tarball.
TARBALL := dist/blk-$(VERSION)-linux-amd64.tar.gz

.PHONY: deps run test lint bench bench-pouchdb dist dist-linux dist-windows windows-check screenshots fuzz clean

deps:
	@scripts/deps.sh

run: deps
	$(GO) run $(BUILDFLAGS) ./cmd/blk

# Linters at fixed versions, run through the module proxy and kept out of
# go.mod (a tool requirement there would move the app's own dependencies).
# govulncheck reads an offline database built from a pinned golang.org/x/vulndb
# (scripts/vulndb.sh), so it needs no vuln.go.dev and finds the same every run.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK := golang.org/x/vuln/cmd/govulncheck@v1.9.0

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) vet $(BUILDFLAGS) ./...
	$(GO) vet -tags $(TAGS),devtools ./cmd/blk ./cmd/blk-server
	$(GO) run $(STATICCHECK) -tags $(TAGS) ./...
	$(GO) run $(STATICCHECK) -tags $(TAGS),devtools ./cmd/blk ./cmd/blk-server
	$(GO) run $(GOVULNCHECK) -db file://$$(scripts/vulndb.sh) -tags $(TAGS) ./...

# PostgreSQL tests run when BLK_TEST_POSTGRES holds a DSN, and skip otherwise.
test: deps lint
	CGO_ENABLED=1 $(GO) test $(BUILDFLAGS) -race -count=1 -timeout 25m ./...

bench: deps
	$(GO) test $(BUILDFLAGS) -run '^$$' -bench . -count 1 -timeout 90m ./... | tee bench.txt
	bench/pouchdb/run.sh | tee -a bench.txt

# The first push of a 10,000-trainee demo centre, blk against PouchDB over
# loopback (bench/pouchdb/run.sh; skips without node and npm).
bench-pouchdb:
	bench/pouchdb/run.sh

# Everything a release publishes: Linux binaries and the desktop's tarball
# $(TARBALL), blk-server.exe, blk.exe and its installer $(SETUP)
# (docs/RELEASING.md).
dist: deps dist-linux dist-windows
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build $(BUILDFLAGS) -ldflags '$(LDFLAGS)' -o dist/blk-server.exe ./cmd/blk-server
	ls -la dist
	@grep -q 'BEGIN PUBLIC KEY' assets/release.pub || \
	  echo "warning: assets/release.pub holds no release key, so these builds take no updates (docs/RELEASING.md)"

dist-linux:
	mkdir -p dist
	CGO_ENABLED=1 $(GO) build $(BUILDFLAGS) -ldflags '$(LDFLAGS)' -o dist/blk ./cmd/blk
	CGO_ENABLED=0 $(GO) build $(BUILDFLAGS) -ldflags '$(LDFLAGS)' -o dist/blk-server ./cmd/blk-server
	tar -C dist --owner=0 --group=0 --numeric-owner -czf $(TARBALL) blk

# blk.exe and its installer. The Windows blk.exe is a cgo cross-build with Debian's mingw-w64; the fyne
# tool (run at a fixed version, not pinned in go.mod: pinning it there would
# upgrade the app's Fyne) adds the icon and version metadata from FyneApp.toml.
# The installer (packaging/windows/blk.nsi) is made with NSIS.
dist-windows:
	@scripts/deps.sh gcc-mingw-w64-x86-64 nsis imagemagick
	mkdir -p dist
	GOBIN=$(CURDIR)/dist/tools $(GO) install fyne.io/tools/cmd/fyne@v1.7.4
	sed 's#assets/icon.png#../../assets/icon.png#' FyneApp.toml > cmd/blk/FyneApp.toml
	cd cmd/blk && { CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 ../../dist/tools/fyne \
	  package --os windows --release --tags $(TAGS) --name blk; \
	  rc=$$?; rm -f FyneApp.toml; exit $$rc; }
	mv cmd/blk/blk.exe dist/blk.exe
	convert assets/icon.png -define icon:auto-resize=256,48,32,16 dist/blk.ico
	makensis -V2 -DVERSION=$(VERSION) -DBUILD=$(BUILD) -DEXE=$(CURDIR)/dist/blk.exe \
	  -DICON=$(CURDIR)/dist/blk.ico -DOUTFILE=$(CURDIR)/$(SETUP) packaging/windows/blk.nsi
	@echo "installer: $(SETUP)"

# The installer and the installed blk.exe under Wine and Xvfb (see the script).
windows-check: dist-windows
	@scripts/deps.sh wine wine64 xvfb xdotool imagemagick
	scripts/windows-check.sh $(SETUP)

screenshots: deps
	@scripts/deps.sh xvfb imagemagick xdotool poppler-utils
	scripts/screenshots.sh
	scripts/pdf-screenshots.sh

# Every fuzz target, 30 s each (FUZZTIME=5s for a quick pass, as CI runs it).
fuzz:
	GO=$(GO) scripts/fuzz.sh $(BUILDFLAGS)

clean:
	rm -rf dist bench.txt
