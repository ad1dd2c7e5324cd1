"""Benchmarks: data generators and timing scripts, each printing ratios against a floor."""
