"""Adapters: file formats in and out. They read and write files and know no database."""
