from ind.shared import bridge
