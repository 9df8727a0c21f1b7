"""Everything that talks to AWS for a remote run: session, errors, code upload."""
