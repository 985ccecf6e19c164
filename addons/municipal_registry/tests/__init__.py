from . import test_groups
from . import test_ui
from . import test_translation
