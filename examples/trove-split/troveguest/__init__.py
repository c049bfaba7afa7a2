"""The guest agent, deployed on database instances."""
