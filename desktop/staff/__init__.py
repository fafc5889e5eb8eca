"""Local staff: roles, users with PINs, sign-in with lockout, permission checks."""
