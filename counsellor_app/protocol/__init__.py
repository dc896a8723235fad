"""The wire schema the hub and the client share: versioned pydantic models and conversions."""

PROTOCOL_VERSION = 1
API_PREFIX = "/v1"
