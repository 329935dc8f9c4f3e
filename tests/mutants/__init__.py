"""Mutation check of the probe suite: disable one detection at a time, show a probe turns red."""
