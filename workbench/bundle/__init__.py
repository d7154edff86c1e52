"""The environment bundle: model, load/save, AWM JSONL import/export, hashing."""
