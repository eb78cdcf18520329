"""Pure sales-process domain: records, statuses, transitions, money, events. Stdlib only."""
