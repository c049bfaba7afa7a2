from ind.beta.api import VALUE
