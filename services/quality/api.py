"""The quality context's API blueprints (registered by services/app.py)."""

from services.quality.complaints import api as complaints
from services.quality.portfolio import api as portfolio
from services.quality.satisfaction import api as satisfaction
from services.quality.training import api as training

blueprints = (complaints.blp, satisfaction.blp, training.blp, portfolio.blp)
