# BLK Komunitas. `make run` opens the app, `make test` runs every check.
# Both install the system packages Fyne needs (scripts/deps.sh).

GO      ?= go
TAGS    := migrated_fynedo
GOFLAGS := -tags $(TAGS) -trimpath
VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: deps run test lint bench dist screenshots fuzz clean

deps:
	@scripts/deps.sh

run: deps
	$(GO) run $(GOFLAGS) ./cmd/blk

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) vet $(GOFLAGS) ./...

# PostgreSQL tests run when BLK_TEST_POSTGRES holds a DSN, and skip otherwise.
test: deps lint
	CGO_ENABLED=1 $(GO) test $(GOFLAGS) -race -count=1 -timeout 25m ./...

bench: deps
	$(GO) test $(GOFLAGS) -run '^$$' -bench . -benchtime 1x -count 1 -timeout 60m ./... | tee bench.txt

dist: deps
	@scripts/deps.sh gcc-mingw-w64-x86-64
	mkdir -p dist
	CGO_ENABLED=1 $(GO) build $(GOFLAGS) -ldflags '$(LDFLAGS)' -o dist/blk ./cmd/blk
	CGO_ENABLED=0 $(GO) build $(GOFLAGS) -ldflags '$(LDFLAGS)' -o dist/blk-server ./cmd/blk-server
	cd cmd/blk && $(GO) tool fyne package --os windows --release --name blk --app-id $$(sed -n 's/^ID *= *"\(.*\)"/\1/p' ../../FyneApp.toml) --icon ../../assets/icon.png --tags $(TAGS) 2>/dev/null || \
	  (CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows GOARCH=amd64 $(GO) build $(GOFLAGS) -ldflags '$(LDFLAGS) -H windowsgui' -o ../../dist/blk.exe . )
	@[ -f cmd/blk/blk.exe ] && mv cmd/blk/blk.exe dist/blk.exe || true
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build $(GOFLAGS) -ldflags '$(LDFLAGS)' -o dist/blk-server.exe ./cmd/blk-server
	ls -la dist

screenshots: deps
	@scripts/deps.sh xvfb imagemagick xdotool poppler-utils
	scripts/screenshots.sh
	scripts/pdf-screenshots.sh

fuzz:
	$(GO) test $(GOFLAGS) -run '^$$' -fuzz FuzzDecodePush -fuzztime 30s ./sync/

clean:
	rm -rf dist bench.txt
