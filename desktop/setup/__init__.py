"""First run of a till (Qt-free): find the server, enroll (owner or code), or try the demo."""
