"""The domain core: entities, enums and rules, standard library only."""
