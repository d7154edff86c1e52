"""Review: decisions, taxonomy, agreement, audit and curated export."""
