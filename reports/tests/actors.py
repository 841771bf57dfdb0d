"""Actors for setting up state through the services in tests."""

from securityunion.casework.actors import SystemActor

# What the import command acts as by default: it may import indicators and nothing else.
IMPORTER = SystemActor.with_capabilities("tests", "indicators_verify")
