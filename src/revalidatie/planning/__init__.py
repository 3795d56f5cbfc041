"""Screening, progression rules, scheduling and revision."""
