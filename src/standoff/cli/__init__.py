"""The thin command line: each command parses arguments, calls a plain function, prints."""
