"""The pathway engine: pure functions from a definition, events and today's date to a timeline."""
from .engine import compute_timeline, milestone_phases
from .model import Event, Options, PathwayDefinition, Timeline
from .serialize import timeline_to_dict
from .validate import Problem, TimelineInputError

__all__ = [
    "Event", "Options", "PathwayDefinition", "Problem", "Timeline", "TimelineInputError",
    "compute_timeline", "milestone_phases", "timeline_to_dict",
]
