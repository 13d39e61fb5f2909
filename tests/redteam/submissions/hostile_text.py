# verdict: error
# Prints and raises text no report format takes as is: a lone surrogate, NUL, escape
# sequences, a bell, XML-forbidden characters. The test renders the text, JSON and JUnit
# reports and parses them.
import sys

sys.stdout.write("out: \x00\x1b[2J\x07 \ufffe done\n")
sys.stdout.flush()


def softmax(X):
    raise ValueError("bad \udc80 \x00 \x1b[31mred\x1b[0m \x07 \x0b \ufffe")
