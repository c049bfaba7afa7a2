from lyr.util import hub
