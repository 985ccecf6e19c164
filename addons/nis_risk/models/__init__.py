from . import nis_asset_category
