"""The wire protocol shared by the convive server and its clients."""
