"""Spec documents and the citations that point into them (pure logic, no I/O)."""
