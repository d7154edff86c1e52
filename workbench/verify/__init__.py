"""Verification: the verifier sandbox (both AWM modes), sanity checks, the LLM judge."""
