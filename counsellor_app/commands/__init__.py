"""The client's subcommands, one module each: ``register(subparsers, common)`` and ``run(args)``."""
