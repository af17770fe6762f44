"""Testing helpers for socialproj users and plugin authors.

:mod:`socialproj.testing.strategies` holds Hypothesis strategies for every model type;
:mod:`socialproj.testing.conformance` checks that a format plugin behaves (round trip,
bad bytes, sniffing, deterministic output); the pytest plugin
(:mod:`socialproj.testing.pytest_plugin`) offers both as fixtures. They need the
``testing`` extra: ``pip install socialproj[testing]``.
"""
