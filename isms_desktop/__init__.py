"""isms-desktop: run an ISO/IEC 27001:2022 ISMS from one project file."""

__version__ = "0.1.0"
APP_NAME = "isms-desktop"
