"""Python rule code: turns what the dataflow pass found into diagnostics, one module per family."""
