"""One module per `newswire` subcommand."""
