from .p import thing
