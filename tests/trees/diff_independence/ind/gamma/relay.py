# alpha.direct -> gamma.relay -> beta: the onward chain is gamma's, not alpha's.
from ind.beta import api
