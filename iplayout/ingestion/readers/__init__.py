"""One module per source format; each yields canonical records and Reject objects."""
