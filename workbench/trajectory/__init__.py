"""Runs: AWM trajectory.json and OpenAI transcripts, the replay engine, the agent runner."""
