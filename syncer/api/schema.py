"""drf-spectacular hooks: what the generated schema cannot infer from the serializers."""

from __future__ import annotations

from typing import Any


def request_bodies_are_closed(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Request bodies reject unknown fields (serializers.StrictFieldsMixin): say so."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        # With COMPONENT_SPLIT_REQUEST, request body components end in "Request".
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result
