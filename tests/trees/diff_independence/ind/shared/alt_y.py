from ind.beta import api
