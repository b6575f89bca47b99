# Xuanjiang: the two commands.
#   make demo   install what is missing, build, and serve the demo campaign on SQLite
#   make test   install what is missing, build, and run every test (CTest); then the unit, store
#               and API tests on SQLite and the fuzz targets again under AddressSanitizer and
#               UndefinedBehaviorSanitizer (build/asan-ubsan)
# Both reuse build/dev, build/asan-ubsan and web/node_modules, so a second run only rebuilds what
# changed.

BUILD      := build/dev
ASAN_BUILD := build/asan-ubsan
BIN        := $(BUILD)/src/cli/xuanjiang
DEMO_DIR   := demo
DEMO_PORT  ?= 8080
DEMO_BIND  ?= 127.0.0.1
JOBS       ?= 2

.PHONY: all demo test deps configure build asan-configure asan-build web web-deps bench clean help

all: build web

help:
	@echo "make demo   - build and serve the demo at http://$(DEMO_BIND):$(DEMO_PORT)/"
	@echo "make test   - build and run every test"
	@echo "make bench  - run the benchmarks (see docs/benchmarks.md)"

deps:
	@tools/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD)/build.ninja ]; then cmake --preset dev; fi

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The sanitizer build: only what its tests need (no benchmark tools), see CMakePresets.json;
# configured again when the presets change, so that their cache variables apply.
asan-configure: deps
	@if [ ! -f $(ASAN_BUILD)/build.ninja ] || [ CMakePresets.json -nt $(ASAN_BUILD)/build.ninja ]; 	then cmake --preset asan-ubsan >/dev/null; fi

asan-build: asan-configure
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

# npm ci only when the lock file changed since the last install.
web-deps: deps
	@if [ ! -f web/package.json ]; then exit 0; fi; \
	if [ ! -f web/node_modules/.package-lock.json ] || \
	    [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then \
	  cd web && npm ci --no-audit --no-fund; fi

web: web-deps
	@if [ -f web/package.json ]; then cd web && npm run --silent build; fi

# Both CTest runs, both summaries at the end; either failing fails make (tools/run-tests.sh).
test: build web asan-build
	@tools/run-tests.sh $(JOBS)

demo: build web
	@mkdir -p $(DEMO_DIR)
	@rm -f $(DEMO_DIR)/xuanjiang.db $(DEMO_DIR)/xuanjiang.db-wal $(DEMO_DIR)/xuanjiang.db-shm
	@$(BIN) init --db $(DEMO_DIR)/xuanjiang.db --demo
	@echo
	@echo "Open http://$(DEMO_BIND):$(DEMO_PORT)/ and log in with an account above (Ctrl-C stops)."
	@exec $(BIN) serve --db $(DEMO_DIR)/xuanjiang.db --bind $(DEMO_BIND) --port $(DEMO_PORT) --web web/dist

bench: build
	@tools/install-deps.sh --bench
	@bench/api/run.sh

clean:
	rm -rf build web/dist
