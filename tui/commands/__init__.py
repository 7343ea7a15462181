"""One module per ``jtui`` subcommand; each exposes ``add_arguments(parser)`` and ``run(args)``."""
