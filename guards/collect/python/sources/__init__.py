"""Stage 2, sources: one revision's files as the collector reads them (in bulk, through the git
layer), the files a change can affect, and the cheap text filters that spare parsing."""
