"""One reader per format family: each recognises its shape and reads a region of a note."""
