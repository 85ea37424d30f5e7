// The advisor library: filled in by the advisor work.
