"""One module per command: typer signatures and help, with the heavy work imported lazily."""
