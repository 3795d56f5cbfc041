"""Exporters: each a pure function of the Plan."""
