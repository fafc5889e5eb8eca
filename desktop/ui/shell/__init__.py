"""The main window: modes, navigation and the status bar."""
