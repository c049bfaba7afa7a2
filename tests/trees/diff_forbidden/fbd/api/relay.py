# The chain api.relay -> guest.agent -> helpers.direct_db -> db passes through another source.
from fbd.guest import agent
