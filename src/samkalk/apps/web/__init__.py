"""The web shell: login, navigation, and the pages users read."""
