"""Complaints: the regulation as versioned configuration, and complaints run through it."""
