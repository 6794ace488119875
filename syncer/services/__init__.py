"""Sync services: the one implementation that the CLI, API, admin and tasks all call."""
