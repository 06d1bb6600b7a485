from . import multicapital
