from ind.shared import cyc1
