"""Synthesis pipeline: the seven AWM stages, prompt templates, the LLM client, attempt history."""
