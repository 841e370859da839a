"""SQLite storage: schema, migrations, connections."""
