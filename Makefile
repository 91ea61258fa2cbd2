# cchc — the README's commands. Python >= 3.12 is found on the machine (python3.13, python3.12,
# python3, or a pyenv install); .venv holds everything else.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON_CANDIDATES := python3.13 python3.12 python3 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3)
FIND_PYTHON = for p in $(PYTHON_CANDIDATES); do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v $$p; break; fi; done
PYTEST_ARGS ?=

.PHONY: install run test lint bench bench-quick demo clean lock audit

$(BIN)/cchc: pyproject.toml
	@py=$$($(FIND_PYTHON)); \
	if [ -z "$$py" ]; then \
	  echo "cchc needs Python 3.12 or newer. Install it first, e.g. 'apt-get install python3.12 python3.12-venv'" \
	       "or 'pyenv install 3.12', then run make again." >&2; exit 1; fi; \
	echo "Using $$py ($$($$py --version))"; \
	test -x $(BIN)/python || $$py -m venv $(VENV); \
	$(BIN)/python -m pip install --quiet --upgrade pip; \
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(BIN)/cchc

install: $(BIN)/cchc

# A developer's machine: DEBUG on (tracebacks in the browser), said out loud; cchc's own default is off.
run: install
	$(BIN)/cchc migrate --noinput
	$(BIN)/cchc load_demo --if-empty
	@echo "make run: DEBUG=1 (chế độ phát triển, hiện lỗi chi tiết) — không dùng cho máy chủ thật."
	DEBUG=$${DEBUG:-1} $(BIN)/cchc runserver 127.0.0.1:8000

# Python's bytecode caches (__pycache__/, ignored by git) are written even where the environment says not to
# (PYTHONDONTWRITEBYTECODE): without them each test process compiles the project and rewrites the tests'
# asserts again, about 5 of the 10 s it takes to collect the suite.
test: install
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n 2 --dist worksteal --durations=25 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Security checks (also in CI): static analysis, secrets, known vulnerabilities in the locked dependencies.
audit: install
	$(BIN)/bandit -q -r cchc -ll
	$(BIN)/python .ci/secrets_scan.py
	$(BIN)/python .ci/pip_audit.py requirements.lock

# Re-resolve requirements.lock (exact runtime versions) after changing dependencies or to take fixes.
lock: install
	PYTHON=$(BIN)/python bash .ci/lock.sh

bench: install
	$(BIN)/python bench/run.py

# CI's smoke run of the bench: small data, one short round; fails when a page answers anything but 200 or
# a query count grows with data. Speed is judged only by the full `make bench`.
bench-quick: install
	$(BIN)/python bench/run.py --quick

clean:
	rm -rf $(VENV) var/ .pytest_cache
