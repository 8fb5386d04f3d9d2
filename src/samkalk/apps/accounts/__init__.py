"""Users' roles and the object-level access rules every view and command goes through."""
