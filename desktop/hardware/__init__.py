"""Counter hardware behind Protocols (drivers land with the hardware issue)."""
