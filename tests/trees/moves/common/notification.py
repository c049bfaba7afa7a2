import importlib


def send(event):
    # Looked up by name at run time.
    return importlib.import_module("trove.taskmanager.api").prepare(event)
