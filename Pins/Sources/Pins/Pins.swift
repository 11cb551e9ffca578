// Nothing to compile: this package only pins versions (see Package.swift beside it).
