"""Accounts, signing in, activation codes and who may use which page."""
