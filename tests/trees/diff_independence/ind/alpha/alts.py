from ind.shared import alt_hub
