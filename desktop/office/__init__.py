"""The till's back office for owners and managers: e-mail sign-in and the server's configuration."""
