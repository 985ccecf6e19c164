"""The library's own schema of SEOS messages, written from the protocol facts.

Package data loaded with :mod:`importlib.resources`; never fetched at run time.
"""
