# Two equally short bypasses.
from cls.util import hub
