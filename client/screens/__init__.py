"""The client's screens: join, participant, moderator, projector, and forms."""
