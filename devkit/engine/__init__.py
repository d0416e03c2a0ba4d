"""The engine's references: the full-year LP the product's sizing is proven against (``reference_lp``) and
the seed's example inputs shared by tests and benchmarks (``examples``)."""
