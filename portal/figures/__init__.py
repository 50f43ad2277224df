"""What usually happens at a unit: for each step of a pathway, how long it took in the last 12
months, from the unit's own recorded steps (compute.py, pure), kept in the database by the daily
job or a coordinator's refresh (store.py), and said in plain words (words.py). A figure with fewer
than FIGURES_MIN_CASES cases behind it is never shown."""
