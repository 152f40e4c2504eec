# Jobtrail: `make demo` serves the demo organisation; `make test` runs every test.
# Both set themselves up from a fresh clone (virtualenv + pinned dependencies).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PG_URL    ?= postgresql://postgres@127.0.0.1:5432/test
REDIS_URL_TEST ?= redis://127.0.0.1:6379/15

.PHONY: demo test test-unit lint bench install services-check browser clean messages

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "Python 3.11 or newer is required (found $$($(PYTHON) --version))"; exit 1)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/jobtrail demo

# The full suite needs PostgreSQL, Redis and Debian's chromium; it fails, never skips,
# when one is missing.
test: $(STAMP) services-check browser
	JOBTRAIL_TEST_DATABASE_URL=$(PG_URL) JOBTRAIL_TEST_REDIS_URL=$(REDIS_URL_TEST) \
		$(BIN)/python -m pytest tests

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

# Dutch UI text and domain refusals are the msgids; see docs/ui.md for the cycle.
BABEL_KEYWORDS := -k lazy_gettext -k _l -k require:2 -k DomainError -k NotFoundError \
	-k ConflictError -k PreconditionFailedError -k ConsentRequiredError \
	-k DecisionRequiredError -k LinkGoneError -k PortfolioRefusedError -k Notice

messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --add-location=file --sort-output \
		--project Jobtrail -o services/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --width 100 \
		-i services/translations/messages.pot -d services/translations

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP) services-check
	$(BIN)/python bench/event_store.py --database-url $(PG_URL)
	$(BIN)/python bench/merkle.py

services-check: $(STAMP)
	@$(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" \
		2>/dev/null || (echo "make test needs PostgreSQL at $(PG_URL) (set PG_URL=...)"; exit 1)
	@$(BIN)/python -c "import redis; redis.from_url('$(REDIS_URL_TEST)', socket_timeout=3).ping()" \
		2>/dev/null || (echo "make test needs Redis at $(REDIS_URL_TEST) (set REDIS_URL_TEST=...)"; exit 1)

# Browser tests drive Debian's chromium (Playwright cannot download browsers here).
browser:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	}
	@test -x /usr/bin/chromium || (echo "make test needs /usr/bin/chromium (apt-get install chromium)"; exit 1)

clean:
	rm -rf $(VENV) var test-results
