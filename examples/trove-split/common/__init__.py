"""Code shared by Trove and its guest agent."""
