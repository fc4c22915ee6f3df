# The README's commands. `make run` serves the hall; `make test` runs the whole suite.
PY ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 5000
WEB_WORKERS ?= 2
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-pg bench venv db lint clean

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

# Web server (gunicorn, $(WEB_WORKERS) workers) plus one print worker; Ctrl-C stops both.
# The logger class keeps /w/<token> and /q/<token> out of the logs (app/log_redaction.py).
run: db
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
