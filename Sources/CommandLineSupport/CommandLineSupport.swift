// Shared command-line support: filled in by the CLI work.
