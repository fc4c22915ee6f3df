# The README's commands. `make run` serves the hall; `make test` runs the whole suite.
PY ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 5000
WEB_WORKERS ?= 2
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-pg bench venv db lint clean kiosk-deps

$(STAMP): pyproject.toml
	$(PY) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Create instance/secrets.json once (never overwritten), then apply migrations to the
# database (SQLite in instance/ unless DATABASE_URL is set).
db: venv
	$(BIN)/linggong-secrets create
	$(FLASK) db upgrade

# What the server needs from Debian besides Python: the handwriting recogniser (Zinnia and its
# Simplified Chinese model) and the voice that announces calls (espeak-ng). Needs root (or sudo);
# `make run` works without them: the handwriting pad says it is unavailable and the display uses
# the browser's voice where there is one.
KIOSK_DEBS := libzinnia0 tegaki-zinnia-simplified-chinese espeak-ng
kiosk-deps:
	@if [ "$$(id -u)" = 0 ]; then apt-get install -y --no-install-recommends $(KIOSK_DEBS); \
	elif command -v sudo >/dev/null; then sudo apt-get install -y --no-install-recommends $(KIOSK_DEBS); \
	else echo "As root, run: apt-get install $(KIOSK_DEBS)"; exit 1; fi

# Web server (gunicorn, $(WEB_WORKERS) workers) plus one print worker; Ctrl-C stops both.
# The logger class keeps /w/<token> and /q/<token> out of the logs (app/log_redaction.py).
run: db
	@missing=""; \
	[ -e /usr/share/tegaki/models/zinnia/handwriting-zh_CN.model ] && ldconfig -p 2>/dev/null | grep -q libzinnia.so \
	  || missing="$$missing handwriting(libzinnia0 tegaki-zinnia-simplified-chinese)"; \
	command -v espeak-ng >/dev/null || missing="$$missing speech(espeak-ng)"; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing what handwriting and speech need: $(KIOSK_DEBS)"; \
	  apt-get install -y -qq --no-install-recommends $(KIOSK_DEBS) >/dev/null && missing=""; fi; \
	if [ -n "$$missing" ]; then echo "Note: not installed:$$missing. 'make kiosk-deps' (as root) installs them;"; \
	  echo "      until then the handwriting pad says it is unavailable and the display speaks only with a browser voice."; fi
	@echo "Kiosk: http://$(HOST):$(PORT)/kiosk/   Staff: http://$(HOST):$(PORT)/staff/"
	@export LINGGONG_SERVED_AT=http://$(HOST):$(PORT); \
	trap 'kill $$printer 2>/dev/null' EXIT INT TERM; \
	$(FLASK) print-worker & printer=$$!; \
	$(BIN)/gunicorn --workers $(WEB_WORKERS) --threads 4 --bind $(HOST):$(PORT) \
	  --access-logfile - --logger-class app.log_redaction.RedactingLogger wsgi:app

# The whole suite; TEST_DATABASE_URL=postgresql://... runs it against PostgreSQL.
test: venv
	$(BIN)/pytest $(PYTEST_ARGS)

test-pg: venv
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres} $(BIN)/pytest $(PYTEST_ARGS)

bench: venv
	$(BIN)/python -m bench

lint: venv
	$(BIN)/ruff check app printers tests bench

clean:
	rm -rf $(VENV) .pytest_cache
