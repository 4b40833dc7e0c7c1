"""secorder: model, simulate and evaluate regional security orders."""

from secorder._version import __version__

__all__ = ["__version__"]
