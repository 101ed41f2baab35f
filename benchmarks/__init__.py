"""Benchmarks of rendered projects (run with `benchmarks/run`)."""
