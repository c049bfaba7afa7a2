"""Planning a split: the fewest direct imports to break for each broken contract (``plan``)."""
