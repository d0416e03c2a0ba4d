"""Local stand-ins and references for development and tests — never product code.

What lives here: fake vendor servers that answer like the vendors' documented APIs (started by the embedded
run only when ``DEVICES_VENDOR_MODE=fake``), synthetic meter files for tests, and the engine's reference
full-year LP that tests and benchmarks prove the product's sizing against. Production settings never import
this package; an import-linter contract forbids ``apps`` from importing it.
"""
