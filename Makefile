# The two commands of the README: `make build` and `make test`. Everything else is a helper.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: build test docs clean

build: $(INSTALLED)
	@$(BIN)/kerncijfers build

# Two workers (the machines have two cores). Each test module runs whole on one worker, modules
# that share a build together (the scheduler is tests/conftest.py's: xdist's loadgroup does not group
# with pytest 9).
test: $(INSTALLED)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# A fresh clone has no virtual environment: create it and install the pinned dependencies. The
# installer is uv (pinned): the same pins as pip, measured here at 25 s against pip's 80 s, with the
# bytecode compiled as pip does (the machines set PYTHONDONTWRITEBYTECODE, so uncompiled packages
# are compiled again at every import). Where uv cannot install (it reads no pip.conf: a machine
# that only has a local wheel mirror), pip does. Their output goes to logs/install.log, printed
# whole if the install fails. setuptools' banner about editable installs of a flat layout says
# nothing a user can act on: it is filtered out.
INSTALL_LOG := logs/install.log
UV_VERSION := 0.13.9
$(INSTALLED): pyproject.toml
	@mkdir -p logs
	@echo "install  Python packages into $(VENV)/ (dbt, DuckDB, Great Expectations, ...): about a minute the first time; log: $(INSTALL_LOG)"
	@$(PYTHON) -m venv $(VENV) > $(INSTALL_LOG) 2>&1 || { cat $(INSTALL_LOG); exit 1; }
	@{ $(BIN)/pip install --quiet uv==$(UV_VERSION) >> $(INSTALL_LOG) 2>&1 \
		&& $(BIN)/uv pip install --python $(BIN)/python --compile-bytecode -e '.[dev]' >> $(INSTALL_LOG) 2>&1; } \
		|| { echo "install  uv could not install (see $(INSTALL_LOG)): installing with pip instead, 1-3 minutes"; \
			$(BIN)/pip install --quiet --upgrade pip >> $(INSTALL_LOG) 2>&1 \
			&& PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install --quiet -e '.[dev]' >> $(INSTALL_LOG) 2>&1; } \
		|| { cat $(INSTALL_LOG); echo "install failed: the log above is $(INSTALL_LOG)"; exit 1; }
	@touch $(INSTALLED)
	@echo "install  done"

clean:
	rm -rf target logs warehouse

.PHONY: bench-ingest bench-checks
bench-ingest: $(INSTALLED)
	$(BIN)/python bench/bench_ingest.py

bench-checks: $(INSTALLED)
	$(BIN)/python bench/bench_checks.py

.PHONY: lint
lint: $(INSTALLED)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	@# sqlfluff's dbt templater compiles the project: on a scratch DuckDB file of its own, not on a
	@# build's candidate (whose folder a publish removes).
	lint_dir=$$(mktemp -d) && KERNCIJFERS_BUILD_DATABASE=$$lint_dir/lint.duckdb $(BIN)/sqlfluff lint models; \
		status=$$?; rm -rf $$lint_dir; exit $$status

# One offline HTML file with the documentation of every model and column, from the full build
# behind the published warehouse (make build first); readers of the published file are not disturbed.
FULL_BUILD := warehouse/build/kerncijfers.duckdb
docs: $(INSTALLED)
	@test -f $(FULL_BUILD) || { echo "no build to document: run make build first"; exit 1; }
	KERNCIJFERS_BUILD_DATABASE=$(FULL_BUILD) $(BIN)/dbt docs generate --static --profiles-dir profiles --log-level-file none
	cp target/static_index.html warehouse/kerncijfers-docs.html
	@echo "documentation: $(CURDIR)/warehouse/kerncijfers-docs.html"

# One self-contained HTML page of charts of the published marts (static SVG drawn by vl-convert, works offline).
.PHONY: report
report: $(INSTALLED)
	$(BIN)/kerncijfers report

# Ingest throughput, build time and BI query latency at 1, 120 and 1,200 publications.
.PHONY: bench
bench: $(INSTALLED)
	$(BIN)/python bench/run.py

# A PostgreSQL server of your own for the `postgres` target, without sudo: a cluster in
# warehouse/postgres/, the build and BI roles, and warehouse/postgres/env to source. As root the
# server runs as Debian's `postgres` user (else `nobody`): initdb refuses root.
.PHONY: postgres
postgres:
	@bash profiles/postgres-local.sh warehouse/postgres
