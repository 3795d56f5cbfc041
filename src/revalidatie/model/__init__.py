"""The domain model: what a person writes (pydantic) and what the engine computes (attrs)."""
