"""Storage: the store (a manifest and segment files), its checks, atomic writes, backups, debris.

It imports nothing of clipper above it but `errors` and `model` (tests/test_architecture.py).
"""
