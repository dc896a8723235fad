"""Letters in the app: generate, preview, print, export, and batches with progress."""
