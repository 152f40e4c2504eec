"""Privacy (AVG): inventory, data-subject requests, erasure, consent, retention,
read-access logging, breach and processing registers, BSN policy."""
