from . import carbon
