"""The Noloc portfolio: drafted from a trajectory and its forms, anonymised, checked."""
