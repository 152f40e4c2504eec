"""Quality: complaints, client satisfaction, training and registers, peer review."""
