"""Adopting contracts: ``init`` proposes contracts today's code keeps, ``explain`` shows every
shortest chain between two modules, to understand a report."""
