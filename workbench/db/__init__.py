"""Databases: deterministic initial build, instance forking, introspection, row and schema diff."""
