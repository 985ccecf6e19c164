from . import test_access_rights
from . import test_nis_risk_scoring
from . import test_nis_assessment
from . import test_nis_incident
from . import test_nis_reports
from . import test_nis_document
