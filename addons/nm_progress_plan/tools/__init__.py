from . import progress
