COLOUR = "orange"
