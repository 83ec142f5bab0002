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

# The fast lane, under a minute on two cores, for every change before `make test`: the style
# checks, dbt's parse of the project (every ref, source, yml and macro resolves; nothing is built)
# and the tests that build no warehouse, drive no browser and need no PostgreSQL (FAST_TESTS: a
# test module that does none of these joins the list). dbt parses on one core while the tests run
# on the other, each target's output printed whole when it ends (`-k`: every part reports, and any
# failure fails the lane). It parses into a scratch folder with a scratch build database, leaving
# the project's target/ (whose partial-parse state a build reuses) and logs/ as they are.
# Hypothesis's pytest plugin costs 2-5 s to import and no fast test uses it. A test in those folders
# that runs dbt is left out by name (FAST_DESELECT: the label_key macro's, a dbt compile of 10-25 s).
FAST_TESTS := tests/core tests/ingest tests/kerncijfers/test_datapackage.py tests/kerncijfers/test_cli.py \
	tests/reliability/test_limits.py tests/project/test_layout.py tests/project/test_citation.py
FAST_DESELECT := tests/core/test_labels.py::test_the_macro_gives_the_same_keys_on_duckdb \
	tests/core/test_labels.py::test_the_macro_gives_the_same_keys_on_postgresql
.PHONY: test-fast test-fast-parse test-fast-style test-fast-units
test-fast: $(INSTALLED)
	@$(MAKE) --no-print-directory -k -j2 --output-sync=target test-fast-parse test-fast-style test-fast-units

test-fast-parse:
	@echo "dbt parse"
	@parse_dir=$$(mktemp -d) && KERNCIJFERS_BUILD_DATABASE=$$parse_dir/parse.duckdb $(BIN)/dbt parse --quiet --no-use-colors --target duckdb \
		--project-dir . --profiles-dir profiles --target-path $$parse_dir/target --log-path $$parse_dir/logs; \
		status=$$?; rm -rf $$parse_dir; exit $$status

test-fast-style:
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

test-fast-units:
	$(BIN)/python -m pytest -q -p no:hypothesispytest $(FAST_TESTS) $(addprefix --deselect ,$(FAST_DESELECT))

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
# behind the published warehouse (make build first), readable on a phone: kerncijfers/docs_page.py
# runs dbt on a copy of that build, in target/docs/ (dbt's output in logs/docs.log), and styles the page.
docs: $(INSTALLED)
	@$(BIN)/kerncijfers docs

# An interactive SQL shell on the published warehouse, read-only: DuckDB 1.5's shell (duckdb-cli),
# which reads the file as the BI tools' DuckDB 1.x does. A build may publish while it is open: the
# shell goes on reading the release it opened, a new shell opens the new one. At a terminal, Ctrl-C
# must stop the running query and nothing else: so the shell's own binary, not duckdb-cli's Python
# launcher ($(BIN)/duckdb, which Ctrl-C kills, shell and all), in a job of its own (`set -m`: make
# does not see the Ctrl-C), and its exit status (1 once any statement of the session failed) is not
# make's error. From a pipe or a file it is.
PUBLISHED := $(or $(KERNCIJFERS_WAREHOUSE),warehouse/kerncijfers.duckdb)
SQL_SHELL = $(firstword $(wildcard $(VENV)/lib/python3*/site-packages/duckdb_cli/duckdb))
.PHONY: sql
sql: $(INSTALLED)
	@test -f "$(PUBLISHED)" || { echo "no published warehouse at $(PUBLISHED): run make build first"; exit 1; }
	@test -x "$(SQL_SHELL)" || { echo "no DuckDB shell in $(VENV) (duckdb-cli): rm $(INSTALLED) and run make sql again"; exit 1; }
	@if [ -t 0 ]; then set -m; "$(SQL_SHELL)" -readonly "$(PUBLISHED)" || true; else exec "$(SQL_SHELL)" -readonly "$(PUBLISHED)"; fi

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
