"""Reusable widgets built on the theme: the primitives every screen composes."""
