"""Runtime: run an environment's server code in a worker process and expose its tools over MCP."""
