# Node 24 comes from the `node` dev dependency; every target uses it, never the system Node.
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
TEST_FILES ?= libs/*/dist/test/*.test.js services/*/dist/test/*.test.js test/*/*.test.mjs

.PHONY: install build test lint bench quickstart dev clean

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json

build: install
	tsc -b

test: build
	node --test --test-concurrency=2 --test-timeout=600000 \
	  --test-reporter=spec --test-reporter-destination=stderr \
	  --test-reporter=./test/support/summary-reporter.mjs --test-reporter-destination=stdout \
	  $(TEST_FILES)

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
	rm -rf libs/*/dist libs/*/*.tsbuildinfo .quickstart .bench
