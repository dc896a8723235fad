"""The main window's views: inbox, caseload and the case record with its tabs."""
