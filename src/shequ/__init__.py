"""shequ (社区): urban community governance on the Jinjiang model."""

__version__ = "0.1.0"
