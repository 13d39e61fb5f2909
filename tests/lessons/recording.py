"""Shared by the chapter tests: one validation run whose gradings several tests then inspect."""

from tutor.grader.grade import Grader


class RecordingGrader(Grader):
    """A Grader that keeps every result it produces, so message tests reuse validation's gradings."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.results = []

    def grade(self, ex, learner_file, **kw):
        result = super().grade(ex, learner_file, **kw)
        self.results.append(result)
        return result
