"""The sales process: domain model, use cases, dedupe, scoring and the store."""
