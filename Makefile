# The README's two commands: `make up` and `make test`. Both set themselves up on a fresh machine
# (Python 3.11, Java 17, Maven, Node.js present; everything else is installed here).
SHELL := /bin/bash
.DEFAULT_GOAL := help

CACHE      ?= $(HOME)/.cache/nowplaying
UV_VERSION := 0.13.9
UV         := $(CACHE)/tools/uv-$(UV_VERSION)/bin/uv
VENV       := .venv
NP         := $(VENV)/bin/nowplaying
PYTEST_ARGS ?=
# Go tools for the chart tests, built from the Go module proxy at pinned versions, cached outside the repo.
HELM_VERSION := v3.19.0
HELM       := $(CACHE)/gotools/helm-$(HELM_VERSION)/helm
KUBECONFORM_VERSION := v0.7.0
KUBECONFORM := $(CACHE)/gotools/kubeconform-$(KUBECONFORM_VERSION)/kubeconform
# kubeconform's schemas, generated from the OpenAPI documents in the k8s.io/kubernetes module (Go module proxy):
# 1.35, the oldest minor release still supported upstream, so what passes also runs on newer kind/minikube.
K8S_SCHEMA_VERSION := v1.35.4
K8S_SCHEMAS := $(CACHE)/k8s-schemas/$(K8S_SCHEMA_VERSION)
# The policy scanner, from PyPI as an isolated uv tool (its dependencies never meet Airflow's in .venv);
# --exclude-newer pins its dependency resolution to what PyPI held just after the release.
CHECKOV_VERSION := 3.3.30
CHECKOV_RESOLVED_AT := 2026-11-01T00:00:00Z
CHECKOV    := $(CACHE)/tools/checkov-$(CHECKOV_VERSION)/bin/checkov

export UV_PROJECT_ENVIRONMENT := $(VENV)
export NOWPLAYING_CACHE_DIR := $(CACHE)
export NOWPLAYING_HELM := $(HELM)
export NOWPLAYING_KUBECONFORM := $(KUBECONFORM)
export NOWPLAYING_K8S_SCHEMAS := $(K8S_SCHEMAS)
export NOWPLAYING_CHECKOV := $(CHECKOV)

.PHONY: help setup up test lint bench clean browser web-assets tools

help:
	@echo "make up     run the pipeline once on demo data (or live APIs with .env) and serve http://127.0.0.1:8000"
	@echo "make test   install what the tests need, start Cassandra, run every test, stop what it started"
	@echo "make lint   ruff"
	@echo "make bench  run the benchmarks (each prints a figure beside its baseline)"

$(UV):
	python3 -m venv $(CACHE)/tools/uv-$(UV_VERSION)
	$(CACHE)/tools/uv-$(UV_VERSION)/bin/pip install -q "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

# Front-end libraries come from npm (web/package-lock.json) and are served by the app itself.
web/node_modules/.installed: $(wildcard web/package.json web/package-lock.json)
	@if [ -f web/package-lock.json ]; then npm ci --prefix web --no-audit --no-fund --loglevel=error; fi
	@mkdir -p web/node_modules && touch $@

web-assets: web/node_modules/.installed

# Browser tests drive Debian's chromium headless.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null; \
	  else echo "browser tests need chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

$(HELM):
	GOBIN=$(dir $(HELM)) GOFLAGS=-mod=mod go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)

$(KUBECONFORM):
	GOBIN=$(dir $(KUBECONFORM)) GOFLAGS=-mod=mod go install github.com/yannh/kubeconform/cmd/kubeconform@$(KUBECONFORM_VERSION)

$(K8S_SCHEMAS)/SOURCE: tests/chart/k8s_schemas.py
	python3 tests/chart/k8s_schemas.py --kubernetes $(K8S_SCHEMA_VERSION) --out $(K8S_SCHEMAS)

$(CHECKOV): | $(UV)
	UV_TOOL_DIR=$(CACHE)/tools/checkov-$(CHECKOV_VERSION)/tool UV_TOOL_BIN_DIR=$(dir $(CHECKOV)) \
	  $(UV) tool install --quiet --python 3.11 --exclude-newer $(CHECKOV_RESOLVED_AT) "checkov==$(CHECKOV_VERSION)"

tools: $(HELM) $(KUBECONFORM) $(K8S_SCHEMAS)/SOURCE $(CHECKOV)

setup: $(VENV)/.synced web-assets

up: setup
	$(NP) dev up

test: setup browser tools
	$(NP) dev with-cassandra -- $(VENV)/bin/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check . || true

bench: setup
	$(NP) dev with-cassandra -- bash -c 'for b in bench/[!_]*.py; do echo "== $$b"; $(VENV)/bin/python $$b || exit 1; done'

clean:
	$(NP) dev cassandra stop || true
	rm -rf .dev data test-artifacts .pytest_cache
