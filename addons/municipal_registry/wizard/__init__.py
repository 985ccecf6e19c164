from . import municipal_document_refuse
from . import municipal_document_annul
from . import municipal_case_close
from . import municipal_register_print
from . import municipal_calendar_generate
from . import municipal_document_approval_return
