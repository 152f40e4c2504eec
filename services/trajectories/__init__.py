"""Trajectories: a client's guided path from intake to closing."""
