import somelib
from otherlib.sub import thing
