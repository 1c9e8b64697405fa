"""Modal dialogs (forms, confirmations), below both widgets and screens.

A dialog answers with what the user filled in (``dismiss``); whoever pushed it
decides what to send. Dialogs import neither widgets nor screens (an import
contract checks the layering).
"""
