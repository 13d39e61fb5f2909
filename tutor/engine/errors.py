"""Errors the command line turns into a one-line message and exit code 2."""


class TutorError(Exception):
    """A usage or configuration problem the user can fix; never a bug in tutor."""


class CatalogError(TutorError):
    """A lesson pack is malformed; the message names the file and the field."""


class WorkspaceError(TutorError):
    """No workspace, or a workspace that cannot be used."""


class TargetError(TutorError):
    """A check/hint/reset target that names nothing in the catalog."""
