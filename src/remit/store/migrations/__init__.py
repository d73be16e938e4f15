"""Alembic migration scripts for the store, shipped inside the package
(``script_location = remit.store:migrations``) so that an installed remit can upgrade a store."""
