"""Benchmarks: data generators and timed runs that print figures (never pass/fail)."""
