"""Pages of procurement: staff (budgets, projects, dashboard), public, the organisation's
portal."""
