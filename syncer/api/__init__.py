"""The REST API (``/api/v1/``): thin DRF views over the sync services."""
