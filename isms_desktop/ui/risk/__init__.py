"""Risk widgets: the risk method editor (6.1.2 a–b) and the risk heat map."""
