"""The red-team copy keeps a checks module: several attacks start from the checks module
that the grading process has loaded (tutor_checks_*) and look for files next to it."""


def batch_call(inputs):
    rows, classes = inputs["X"].shape
    return f"softmax(X) with X a random batch of {rows} rows × {classes} classes"
