"""The federation, its members and their organisations, allocation keys, and decisions."""
