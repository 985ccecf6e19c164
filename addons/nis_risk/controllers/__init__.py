from . import nis_risk
