"""Sign-up, sign-in, activation and sessions of people (devices enroll separately)."""
