"""Static files of the quality pages (served under /static/quality/)."""

from flask import Blueprint

bp = Blueprint("quality_assets", __name__, static_folder="static",
               static_url_path="/static/quality")
