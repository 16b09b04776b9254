"""PO files: the catalog format, the project's store of templates and catalogs, one-entry edits."""
