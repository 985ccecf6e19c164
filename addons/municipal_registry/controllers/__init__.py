from . import municipal_registry
