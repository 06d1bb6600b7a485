from .booked import BookedEngine
