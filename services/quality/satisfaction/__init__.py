"""Client satisfaction: forms as data, campaigns, single-use survey links, reports."""
