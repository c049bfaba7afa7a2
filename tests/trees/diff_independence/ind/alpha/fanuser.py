# shared.fan reaches both beta and gamma: one import, two illegal ends.
from ind.shared import fan
