"""The numerical core of the 15-minute circle, free of Django: reading a walking network
from OpenStreetMap, snapping points to it, exact multi-source shortest paths, coverage
sets and the siting models, and drawing maps. Services feed it plain arrays and store
what it returns; tests and benchmarks call it directly.
"""
