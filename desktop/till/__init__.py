"""The counter's application layer: what the cashier screens call (never the database directly).

`Runner` opens one unit of work per operation and commits it; `Counter` is the cashier's
session — who is signed in, the open ticket — with one method per thing a cashier does, each
returning plain view objects the widgets render.
"""
