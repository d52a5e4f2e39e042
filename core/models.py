"""core holds no models of its own: scope, cells, tables and workbooks belong to no domain."""
