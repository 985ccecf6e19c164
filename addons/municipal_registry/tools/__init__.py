from . import check_messages
