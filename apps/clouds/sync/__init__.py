"""Inventory sync: read a cloud through its driver and reconcile the inventory with it."""
