"""Leaf helpers every part of the project may use; they import nothing of the project but its
settings."""
