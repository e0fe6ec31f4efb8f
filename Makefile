# Node 24 comes from the `node` dev dependency; every target uses it, never the system Node.
export PATH := $(CURDIR)/node_modules/.bin:$(CURDIR)/frontend/node_modules/.bin:$(PATH)
TEST_FILES ?= libs/*/dist/test/*.test.js services/*/dist/test/*.test.js test/*/*.test.mjs

.PHONY: install build test test-suites lint bench quickstart dev clean

node_modules/.package-lock.json: package.json package-lock.json
	@bash test/support/build-prerequisites.sh
	npm ci --no-audit --no-fund
	@touch $@

# The web app is a project of its own (Angular pins its own TypeScript). `install --no-save`, not
# `ci`: npm leaves out of the lockfile the optional packages of other platforms that the registry
# could not serve (this machine's registry lacks e.g. @oxc-parser/binding-wasm32-wasi@0.156.0), and
# `ci` then calls the lockfile out of sync. Every version still comes from the lockfile, untouched.
frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	npm install --prefix frontend --no-save --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json frontend/node_modules/.package-lock.json

build: install
	tsc -b
	cd frontend && ng build && node scripts/precompress.mjs

# The set-up installs and starts what the suites need (test/support/setup.mjs), then runs them with
# the services' URLs in their environment.
test: build
	node test/support/setup.mjs $(MAKE) --no-print-directory test-suites

# Every suite runs even when one fails; total.mjs prints the closing "N passed, N failed" and fails
# when any test (or any suite runner) did. Alone, against services already running.
test-suites:
	@rm -rf test-results && mkdir -p test-results
	cd frontend && ng test --watch=false --reporters=default --reporters=json \
	  --output-file=../test-results/frontend.json || true
	node --test --test-concurrency=2 --test-timeout=600000 \
	  --test-reporter=spec --test-reporter-destination=stderr \
	  --test-reporter=./test/support/summary-reporter.mjs --test-reporter-destination=test-results/node.txt \
	  $(TEST_FILES) || true
	node test/support/total.mjs test-results/node.txt test-results/frontend.json

lint: install
	eslint .
	prettier --check .

quickstart: build
	bash test/quickstart.sh

bench: build
	node test/bench/bench.mjs

# Every service as a local process against the PostgreSQL and NATS on localhost (no Docker).
dev: build
	node deploy/dev.mjs

clean:
	rm -rf libs/*/dist libs/*/*.tsbuildinfo frontend/dist .quickstart .bench
