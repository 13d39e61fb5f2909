# diagnosis: checkpointing.no_savings
# Runs the functions one after the other: right values, but every activation is kept.
def checkpoint_sequential(functions, segments, input):
    x = input
    for f in functions:
        x = f(x)
    return x
