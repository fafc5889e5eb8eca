"""The audit log: every mutation by a person or a device."""
