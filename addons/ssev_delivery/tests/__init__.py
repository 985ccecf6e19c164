from . import test_access_rights
