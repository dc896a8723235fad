"""The Qt desktop application: windows, dialogs, item models and background workers."""
