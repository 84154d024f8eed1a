# Two entry points, both from a clean clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	@echo '$$ cachelint check examples/agent'
	@$(BIN)/cachelint check examples/agent --no-cache; status=$$?; \
	  if [ $$status -ne 1 ]; then echo "demo: expected findings (exit 1), got exit $$status"; exit 1; fi
	@echo
	@echo '$$ python examples/runtime_demo.py   # the runtime companion on a simulated two-turn conversation'
	@$(BIN)/python examples/runtime_demo.py

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py
	$(BIN)/python bench/runtime_bench.py

clean:
	rm -rf $(VENV) build dist .cachelint_cache
